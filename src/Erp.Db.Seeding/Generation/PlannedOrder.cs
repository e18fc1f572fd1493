namespace Erp.Db.Seeding.Generation;

/// <summary>The skeleton of one order, decided up front: day, time, shop, customer and line count.</summary>
internal readonly record struct PlannedOrder(int Day, int SecondOfDay, short Shop, byte Lines, int Customer, long FirstItemId);

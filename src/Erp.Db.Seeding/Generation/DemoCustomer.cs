namespace Erp.Db.Seeding.Generation;

/// <summary>A generated customer: how often they buy, during which days, and at which shop mostly.</summary>
internal sealed record DemoCustomer(int Index, int MerchantIndex, long CustomerId, double Weight, int FirstActiveDay, int LastActiveDay, int HomeShop);

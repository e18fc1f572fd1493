namespace Erp.Db.Seeding.Generation;

/// <summary>
/// A platform settlement of one shop's completed orders of one week: invoiced two weeks after the
/// week ends, due two weeks later; most are paid around the due day, some late, partially or not at all.
/// </summary>
internal sealed record Settlement(int Shop, int Week, bool Invoiced, int InvoiceDay, int DueDay, string Status, int? PaidDay, double ReceivedShare, string InvoiceNo, string ReceiptNo)
{
    public bool IsPaid => Status == "paid";

    public static Settlement For(DemoModel model, int shop, int week)
    {
        var random = SeedHash.Random(model.Seed, 20, shop, week);
        var last = model.Days - 1;
        var invoiceDay = model.WeekStartDay(week) + 6 + 14;
        var dueDay = invoiceDay + 14;
        var row = model.Shops[shop].Row;
        var invoiceNo = $"INV-{row.ShopId:D4}-{week:D4}";
        var receiptNo = $"RC-{row.ShopId:D4}-{week:D4}";
        if (invoiceDay > last)
        {
            return new Settlement(shop, week, false, invoiceDay, dueDay, "none", null, 0, invoiceNo, receiptNo);
        }
        var r = random.NextDouble();
        if (dueDay > last)
        {
            return r < 0.25 && last > invoiceDay
                ? new Settlement(shop, week, true, invoiceDay, dueDay, "paid", random.Next(invoiceDay + 1, last + 1), 1, invoiceNo, receiptNo)
                : new Settlement(shop, week, true, invoiceDay, dueDay, "open", null, 0, invoiceNo, receiptNo);
        }
        if (r < 0.07)
        {
            return new Settlement(shop, week, true, invoiceDay, dueDay, "overdue", null, 0, invoiceNo, receiptNo);
        }
        if (r < 0.11)
        {
            return new Settlement(shop, week, true, invoiceDay, dueDay, "partially_paid", random.Next(invoiceDay, dueDay + 1), random.Uniform(0.3, 0.8), invoiceNo, receiptNo);
        }
        var paid = Math.Clamp(dueDay + random.Next(-10, 6), invoiceDay, last);
        return new Settlement(shop, week, true, invoiceDay, dueDay, "paid", paid, 1, invoiceNo, receiptNo);
    }
}

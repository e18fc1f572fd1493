namespace Erp.Db.Seeding.Generation;

/// <summary>
/// How a platform settles one shop's completed orders of one week: their invoices count from two
/// weeks after the week ends (later ones stay uninvoiced), and most are paid around two weeks after
/// that, some late, partially or not at all. Each order still has its own invoice and payment.
/// </summary>
internal sealed record Settlement(int Shop, int Week, bool Invoiced, int InvoiceDay, int DueDay, string Status, int? PaidDay, double ReceivedShare)
{
    /// <summary>
    /// The seeded shops' settlement term (dw.dim_shops.settlement_days): posting dates a receivable's due date
    /// this many days after its order. A week's orders are paid about 28-34 days after they were placed (two
    /// weeks after the invoices of two weeks after the week), so the newest invoiced receivables are not yet
    /// due: under the column's default of 14 days every receivable would be born overdue.
    /// </summary>
    public const int TermDays = 30;

    public bool IsPaid => Status == "paid";

    public static Settlement For(DemoModel model, int shop, int week)
    {
        var random = SeedHash.Random(model.Seed, 20, shop, week);
        var last = model.Days - 1;
        var invoiceDay = model.WeekStartDay(week) + 6 + 14;
        var dueDay = invoiceDay + 14;
        if (invoiceDay > last)
        {
            return new Settlement(shop, week, false, invoiceDay, dueDay, "none", null, 0);
        }
        var r = random.NextDouble();
        if (dueDay > last)
        {
            return r < 0.25 && last > invoiceDay
                ? new Settlement(shop, week, true, invoiceDay, dueDay, "paid", random.Next(invoiceDay + 1, last + 1), 1)
                : new Settlement(shop, week, true, invoiceDay, dueDay, "open", null, 0);
        }
        if (r < 0.07)
        {
            return new Settlement(shop, week, true, invoiceDay, dueDay, "overdue", null, 0);
        }
        if (r < 0.11)
        {
            return new Settlement(shop, week, true, invoiceDay, dueDay, "partially_paid", random.Next(invoiceDay, dueDay + 1), random.Uniform(0.3, 0.8));
        }
        var paid = Math.Clamp(dueDay + random.Next(-10, 6), invoiceDay, last);
        return new Settlement(shop, week, true, invoiceDay, dueDay, "paid", paid, 1);
    }
}

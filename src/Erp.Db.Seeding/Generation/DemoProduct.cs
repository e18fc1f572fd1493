using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>A generated product: its row, list price in CNY and share of its merchant's demand.</summary>
internal sealed record DemoProduct(int Index, int MerchantIndex, ProductRow Row, double PriceCny, double Popularity, double ExpectedDailyUnits);

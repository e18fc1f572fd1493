using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>A generated shop with what order generation needs to know about it.</summary>
internal sealed record DemoShop(int Index, int MerchantIndex, ShopRow Row, string PlatformCode, double Weight, double Commission, double PaymentFee, string OrderPrefix);

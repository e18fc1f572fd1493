using System.CommandLine;
using System.Globalization;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// --merchant: whose data a BI command reads, by id or by the code files name it by (merchant_code); optional when the login sees
/// exactly one merchant.
/// </summary>
internal sealed class MerchantOption
{
    private readonly Option<string?> merchant = new("--merchant", "-m")
    {
        Description = "Merchant id or code. Every BI query reads one merchant; optional when only one merchant is visible.",
    };

    private const string Field = "--merchant";

    public MerchantOption(Command command) => command.Options.Add(merchant);

    public async Task<long> ResolveAsync(ParseResult parseResult, ErpDatabase erp, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(merchant) is { } requested && !string.IsNullOrWhiteSpace(requested))
        {
            return await ResolveAsync(erp, requested, cancellationToken);
        }
        // The merchants it may read, not every row it sees: a login in erp_writer too sees every merchant's row, yet the
        // reader views answer only the merchants granted to it.
        var readable = await erp.Queries.ReadableMerchantsAsync(cancellationToken);
        return readable.Count == 1
            ? readable[0].MerchantId
            : throw CliException.Validation($"--merchant is required: this login may read {readable.Count} merchants. {Known(readable)}", Details(readable));
    }

    /// <summary>
    /// The merchant a --merchant value names (every command's): an id, refused unless it exists and the login may read it
    /// (<see cref="EnsureAccessAsync"/>), or else a code (in any case, unless two codes differ only by it), looked up among the merchants the login sees only, so that a code of
    /// another merchant's and a code no merchant has get the same NOT_FOUND: nothing is revealed; the merchant of a code must
    /// be granted too. With <paramref name="toWrite"/> (erpdb post, for writers, who need no grant) it need only exist
    /// among the merchants the login sees.
    /// </summary>
    public static async Task<long> ResolveAsync(ErpDatabase erp, string requested, CancellationToken cancellationToken, bool toWrite = false)
    {
        requested = requested.Trim();
        if (long.TryParse(requested, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            if (id < 1)
            {
                throw CliException.Validation($"--merchant must be a positive merchant id or a merchant code; got {id}.", new { field = Field });
            }
            if (toWrite)
            {
                var seen = await erp.Queries.MerchantsAsync(cancellationToken);
                return seen.Any(m => m.MerchantId == id) ? id
                    : throw new CliException(ErrorCodes.NotFound, $"Merchant {id} does not exist. " + Known(seen), ExitCodes.Usage, Details(seen));
            }
            await EnsureAccessAsync(erp, id, cancellationToken);
            return id;
        }
        var visible = await erp.Queries.MerchantsAsync(cancellationToken);
        // The code as stored, else in any case when that names one merchant only (DEMO_M001 is demo_m001).
        var matches = visible.Where(m => string.Equals(m.Code, requested, StringComparison.OrdinalIgnoreCase)).ToList();
        var byCode = (matches.SingleOrDefault(m => m.Code == requested) ?? (matches.Count == 1 ? matches[0] : null))?.MerchantId
            ?? throw new CliException(ErrorCodes.NotFound, $"No merchant this login sees has the code '{requested}'. " + Known(visible), ExitCodes.Usage, Details(visible));
        // Seeing a merchant's row is not being granted it: a login in erp_writer too sees every merchant's row.
        if (!toWrite)
        {
            await EnsureAccessAsync(erp, byCode, cancellationToken);
        }
        return byCode;
    }

    /// <summary>Refuses a merchant that does not exist (NOT_FOUND) or that this login may not read (FORBIDDEN), naming the ones it sees.</summary>
    public static async Task EnsureAccessAsync(ErpDatabase erp, long id, CancellationToken cancellationToken)
    {
        switch (await erp.Queries.MerchantAccessAsync(id, cancellationToken))
        {
            case Erp.Db.Queries.MerchantAccess.Granted:
                return;
            case Erp.Db.Queries.MerchantAccess.NotFound:
                var seen = await erp.Queries.MerchantsAsync(cancellationToken);
                throw new CliException(ErrorCodes.NotFound, $"Merchant {id} does not exist. " + Known(seen), ExitCodes.Usage, Details(seen));
            default:
                // The same answer for a merchant that does not exist and one that is another's: nothing is revealed.
                var readable = await erp.Queries.ReadableMerchantsAsync(cancellationToken);
                throw new CliException(ErrorCodes.Forbidden, $"This login may not read merchant {id}. " + Known(readable), ExitCodes.Forbidden, Details(readable));
        }
    }

    /// <summary>details of a --merchant error: the option, and the merchants the message names, for a program to choose from.</summary>
    private static object Details(IReadOnlyList<Erp.Db.Queries.Merchant> listed) =>
        new { field = Field, merchants = listed.Take(20).Select(m => new { merchantId = m.MerchantId, code = m.Code, name = m.Name }).ToList() };

    private static string Known(IReadOnlyList<Erp.Db.Queries.Merchant> visible) => visible.Count == 0
        ? "No merchants are visible: load data (erpdb seed) or ask a DBA for access."
        : $"Known: {string.Join(", ", visible.Take(20).Select(m => $"{m.MerchantId} {m.Code} ({m.Name})"))}{(visible.Count > 20 ? ", ..." : "")}.";
}

namespace Erp.Db.Refresh;

/// <summary>A view name that is not registered in <c>ops.mv_registry</c>.</summary>
public sealed class UnknownViewException : Exception
{
    /// <summary>Creates the exception for the unknown names.</summary>
    public UnknownViewException(IReadOnlyList<string> unknown, IReadOnlyList<string> known)
        : base($"Unknown view(s): {string.Join(", ", unknown)}. Known views: {string.Join(", ", known)}.")
    {
        Unknown = unknown;
        Known = known;
    }

    /// <summary>The names that were not found.</summary>
    public IReadOnlyList<string> Unknown { get; }

    /// <summary>The registered views.</summary>
    public IReadOnlyList<string> Known { get; }
}

namespace Erp.Db.Queries;

/// <summary>A query parameter is out of range or malformed; nothing was read. The message says what is allowed.</summary>
public sealed class QueryValidationException : ArgumentException
{
    /// <summary>Creates the exception for one parameter.</summary>
    /// <param name="field">The parameter, e.g. <c>pageSize</c>.</param>
    /// <param name="message">What was wrong and what is allowed.</param>
    public QueryValidationException(string field, string message)
        : base(message, field) => Field = field;

    /// <summary>The parameter that was wrong.</summary>
    public string Field { get; }

    /// <summary>What was wrong and what is allowed (without the "(Parameter ...)" an <see cref="ArgumentException"/> appends: see <see cref="Field"/>).</summary>
    public override string Message => base.Message.Replace($" (Parameter '{Field}')", "", StringComparison.Ordinal);
}

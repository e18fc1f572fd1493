using System.CommandLine;

namespace Erp.Db.Cli.Commands;

/// <summary>A command whose help depends on what its arguments name (<c>erpdb import orders --help</c> shows the columns of orders).</summary>
internal interface IArgumentHelp
{
    /// <summary>Sets the command's description for the arguments of <paramref name="parseResult"/>, before its help is written.</summary>
    void DescribeFor(ParseResult parseResult);
}

using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// --help as System.CommandLine writes it, after an <see cref="IArgumentHelp"/> command has described what its arguments name and
/// with the defaults of options that take a value from a list as they are typed (<see cref="ChoiceOptions.DescribeDefaults"/>).
/// </summary>
internal sealed class ArgumentHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        (parseResult.CommandResult.Command as IArgumentHelp)?.DescribeFor(parseResult);
        ChoiceOptions.DescribeDefaults(parseResult.RootCommandResult.Command);
        return help.Invoke(parseResult);
    }
}

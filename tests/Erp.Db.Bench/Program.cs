using Erp.Db.Bench;

return await BenchProgram.RunAsync(args, Console.Out);

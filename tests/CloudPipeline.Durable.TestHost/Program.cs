using CloudPipeline.Durable;
using CloudPipeline.Durable.TestHost;

// Usage: CloudPipeline.Durable.TestHost <connection string> <storage name prefix>. Runs a worker until killed.
if (args.Length < 2)
{
    throw new ArgumentException("Pass the storage connection string and the storage name prefix.");
}
string connection = args[0];
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
var client = await DurableClient.CreateAsync(connection, TestOrchestrations.Definitions, TestOrchestrations.Options(args[1]));
var worker = new DurableWorker(client, TestOrchestrations.Activities(connection));
Console.WriteLine("worker ready");
await worker.RunAsync(stop.Token);

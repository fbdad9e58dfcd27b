using Azure;

namespace CloudPipeline.Cli.Commands;

/// <summary>Turns a storage failure into the one line a person needs, instead of a stack trace.</summary>
internal static class StorageErrors
{
    /// <summary>
    /// True for the failures of an unreachable, refusing or too slow storage service: the SDK's error, a connection
    /// fault, a request that timed out, or the SDK's retries of those given up (an <see cref="AggregateException"/> of them).
    /// </summary>
    public static bool IsStorageFailure(Exception ex) =>
        IsTransport(ex) || ex is AggregateException { InnerExceptions.Count: > 0 } a && a.InnerExceptions.All(IsTransport);

    private static bool IsTransport(Exception ex) => ex is RequestFailedException or HttpRequestException or TimeoutException or TaskCanceledException or UploadRefusedException;

    /// <summary>Prints the error with a hint and returns the exit code 3 (1 when the host refused an upload link).</summary>
    public static int Report(Uri endpoint, Exception ex)
    {
        if (ex is UploadRefusedException refused)
        {
            Console.Error.WriteLine("error: " + refused.Message);
            return 1;
        }
        string why = ex switch
        {
            RequestFailedException { Status: > 0 } r => $"it answered {r.Status} {r.ErrorCode}",
            AggregateException a => "it did not answer: " + a.InnerExceptions[^1].Message.Split('\n')[0].Trim(),
            _ => "it did not answer: " + ex.Message.Split('\n')[0].Trim(),
        };
        Console.Error.WriteLine($"error: storage at {endpoint.GetLeftPart(UriPartial.Authority)} is not usable ({why}). " +
            "Start the local host (dotnet run --project functions/CloudPipeline.LocalHost) or check --connection / CloudPipeline__Storage__ConnectionString.");
        return 3;
    }
}

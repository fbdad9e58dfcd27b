using System.Text.RegularExpressions;
using CloudPipeline.Azurite;
using CloudPipeline.Testing;
using Xunit;

namespace CloudPipeline.Infrastructure.Tests;

/// <summary>No account key, SAS signature, connection string with a key, or private key in the repository or the templates' outputs.</summary>
public sealed partial class NoSecretsTests
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git", "TestResults", ".azurite", "BenchmarkDotNet.Artifacts"];

    [Fact]
    public void No_secret_is_in_any_file_of_the_repository()
    {
        var findings = new List<string>();
        foreach (var file in Files(new DirectoryInfo(SharedData.RepositoryRoot)))
        {
            string text;
            try
            {
                text = File.ReadAllText(file.FullName);
            }
            catch (IOException)
            {
                continue;
            }
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                continue; // binary
            }
            // Azurite's development key is published by Microsoft and only opens the local emulator.
            text = text.Replace(AzuriteProcess.DevelopmentAccountKey, "(azurite development key)", StringComparison.Ordinal);
            foreach (Match m in Secret().Matches(text))
            {
                findings.Add($"{Path.GetRelativePath(SharedData.RepositoryRoot, file.FullName)}: {m.Value[..Math.Min(40, m.Value.Length)]}…");
            }
        }
        Assert.True(findings.Count == 0, "secrets found:\n" + string.Join('\n', findings));
    }

    [Fact]
    public void No_output_of_the_template_carries_a_key()
    {
        foreach (var output in ArmTemplate.Main.Root.GetProperty("outputs").EnumerateObject())
        {
            string value = output.Value.GetRawText();
            Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secureString", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_scan_finds_a_planted_key()
    {
        // A made-up 64-byte key in the shape of a storage account key: the pattern must catch it.
        string planted = "AccountKey=" + Convert.ToBase64String(Enumerable.Range(1, 64).Select(i => (byte)(i * 7)).ToArray());
        Assert.Matches(Secret(), planted);
        Assert.Matches(Secret(), "https://x.blob.core.windows.net/raw?sv=2024-11-04&" + "sig=" + Convert.ToBase64String(new byte[32]));
    }

    private static IEnumerable<FileInfo> Files(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles())
        {
            yield return file;
        }
        foreach (var sub in directory.EnumerateDirectories().Where(d => !Skipped.Contains(d.Name, StringComparer.Ordinal)))
        {
            foreach (var file in Files(sub))
            {
                yield return file;
            }
        }
    }

    /// <summary>An account key (88 base64 characters), a SAS signature, a shared access key, or a PEM private key.</summary>
    [GeneratedRegex(@"(AccountKey|SharedAccessKey)\s*=\s*[A-Za-z0-9+/]{40,}={0,2}|[?&]sig=[A-Za-z0-9%+/=]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex Secret();
}

using CloudPipeline.Storage;
using Xunit;

namespace CloudPipeline.Storage.Tests;

public sealed class ConnectionStringTests
{
    [Fact]
    public void Development_storage_uses_the_well_known_account_on_loopback()
    {
        var cs = StorageConnectionString.Parse("UseDevelopmentStorage=true");
        Assert.True(cs.IsDevelopmentStorage);
        Assert.Equal("devstoreaccount1", cs.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), cs.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), cs.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), cs.TableEndpoint);
        Assert.NotNull(cs.SharedKey);
    }

    [Fact]
    public void Account_key_without_endpoints_derives_them_from_the_suffix()
    {
        var cs = StorageConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=labdata;AccountKey=a2V5;EndpointSuffix=core.example.net");
        Assert.False(cs.IsDevelopmentStorage);
        Assert.Equal("labdata", cs.AccountName);
        Assert.Equal(new Uri("https://labdata.blob.core.example.net"), cs.BlobEndpoint);
        Assert.Equal(new Uri("https://labdata.table.core.example.net"), cs.TableEndpoint);
        Assert.Null(cs.Sas);
    }

    [Fact]
    public void Sas_with_explicit_endpoints_takes_the_account_from_a_path_style_endpoint()
    {
        var cs = StorageConnectionString.Parse("BlobEndpoint=http://127.0.0.1:1234/acct;QueueEndpoint=http://127.0.0.1:1235/acct;TableEndpoint=http://127.0.0.1:1236/acct;SharedAccessSignature=sv=2025-01-05&sig=abc");
        Assert.Equal("acct", cs.AccountName);
        Assert.Null(cs.SharedKey);
        Assert.Equal("sv=2025-01-05&sig=abc", cs.Sas!.Signature);
    }

    [Theory]
    [InlineData("AccountName=x", "neither 'AccountKey' nor 'SharedAccessSignature'")]
    [InlineData("AccountKey=a2V5", "'AccountName'")]
    [InlineData("garbage", "not of the form Name=Value")]
    [InlineData("AccountName=x;AccountKey=a2V5;BlobEndpoint=not a uri", "'BlobEndpoint' is not an absolute URI")]
    public void Malformed_strings_name_what_is_wrong(string value, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(value));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace CloudPipeline.Infrastructure.Tests;

/// <summary>
/// The compiled ARM JSON of infra/azure/main.bicep (written by this project's build), read as data: its modules
/// (nested deployments), their resources, variables and the parameter values main passes in.
/// </summary>
internal sealed partial class ArmTemplate
{
    private ArmTemplate(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static ArmTemplate Main { get; } = Load("main.json");

    public static ArmTemplate Load(string file) =>
        new(JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", file))).RootElement);

    /// <summary>The module deployed under <paramref name="name"/>.</summary>
    public Module GetModule(string name)
    {
        var deployment = Root.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name);
        return new Module(deployment.GetProperty("properties").GetProperty("template"), deployment.GetProperty("properties").GetProperty("parameters"));
    }

    /// <summary>One module: its template and the parameters main passes.</summary>
    internal sealed partial class Module(JsonElement template, JsonElement parameters)
    {
        public JsonElement Template { get; } = template;

        public IEnumerable<JsonElement> Resources(string type) =>
            Template.GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("type").GetString() == type);

        /// <summary>A literal parameter value main passes (null when main passes an expression).</summary>
        public string? LiteralParameter(string name) =>
            parameters.TryGetProperty(name, out var p) && p.GetProperty("value").ValueKind == JsonValueKind.String && !p.GetProperty("value").GetString()!.StartsWith('[')
                ? p.GetProperty("value").GetString()
                : null;

        public JsonElement Variable(string name) => Template.GetProperty("variables").GetProperty(name);

        /// <summary>
        /// The names a copy loop of <paramref name="type"/> creates when it iterates over a variable (a
        /// <c>[for x in someVariable]</c> loop compiles to <c>"count": "[length(variables('someVariable'))]"</c>).
        /// </summary>
        public IReadOnlyList<string> LoopedNames(string type) =>
            Resources(type)
                .Select(r => r.TryGetProperty("copy", out var copy) ? LengthOfVariable().Match(copy.GetProperty("count").GetString()!) : Match.Empty)
                .Where(m => m.Success)
                .SelectMany(m => Variable(m.Groups["v"].Value).EnumerateArray().Select(e => e.GetString()!))
                .ToList();

        [GeneratedRegex(@"^\[length\(variables\('(?<v>\w+)'\)\)\]$")]
        private static partial Regex LengthOfVariable();
    }
}

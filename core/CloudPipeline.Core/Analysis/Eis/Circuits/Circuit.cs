using System.Numerics;

namespace CloudPipeline.Core.Analysis.Eis.Circuits;

/// <summary>A parse error with the 0-based position in the circuit string.</summary>
public sealed class CircuitSyntaxException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CircuitSyntaxException(string circuit, int position, string problem)
        : base($"Circuit '{circuit}', position {position}: {problem}.")
    {
        Position = position;
    }

    /// <summary>Where parsing stopped.</summary>
    public int Position { get; }
}

/// <summary>
/// A parsed equivalent circuit in impedance.py's syntax: series <c>-</c>, parallel <c>p(a,b,…)</c>, elements
/// NAME+INDEX (<c>R0-p(R1-Wo1,C1)</c>). Parameters are ordered depth-first, left to right; a one-parameter
/// element's parameter is named by its label, others <c>label_0</c>, <c>label_1</c>….
/// </summary>
public sealed class Circuit
{
    private readonly Node _root;

    private Circuit(string text, Node root, IReadOnlyList<(string Name, CircuitElement Element, int Index)> parameters)
    {
        Text = text;
        _root = root;
        ParameterNames = parameters.Select(p => p.Name).ToArray();
        ParameterUnits = parameters.Select(p => p.Element.Units[p.Index]).ToArray();
        DefaultUpperBounds = parameters.Select(p => p.Element.UpperBounds[p.Index]).ToArray();
    }

    /// <summary>The circuit string.</summary>
    public string Text { get; }

    /// <summary>Parameter names in vector order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parameter units in vector order.</summary>
    public IReadOnlyList<string> ParameterUnits { get; }

    /// <summary>Default upper bounds (1 for exponents, +∞ otherwise).</summary>
    public IReadOnlyList<double> DefaultUpperBounds { get; }

    /// <summary>Z at angular frequency ω for the full parameter vector.</summary>
    public Complex Impedance(double omega, ReadOnlySpan<double> parameters) => _root.Evaluate(omega, parameters);

    /// <summary>
    /// Z at ω and ∂Z/∂p_k for every parameter (analytic: each element's derivatives, summed through series
    /// connections and scaled by (Z/Z_b)² through parallel ones, since Z = 1/Σ 1/Z_b).
    /// </summary>
    /// <param name="omega">Angular frequency (rad/s).</param>
    /// <param name="parameters">The full parameter vector.</param>
    /// <param name="gradient">Receives ∂Z/∂p_k; as long as <paramref name="parameters"/>.</param>
    public Complex ImpedanceAndGradient(double omega, ReadOnlySpan<double> parameters, Span<Complex> gradient) => _root.Evaluate(omega, parameters, gradient);

    /// <summary>Parses a circuit string.</summary>
    /// <exception cref="CircuitSyntaxException">Unknown element, missing index, duplicate label or unbalanced parenthesis; the message gives the position.</exception>
    public static Circuit Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var parser = new Parser(text);
        var root = parser.Series();
        if (parser.Position != text.Length)
        {
            throw new CircuitSyntaxException(text, parser.Position, text[parser.Position] == ')' ? "unbalanced ')'" : $"unexpected '{text[parser.Position]}'");
        }
        return new Circuit(text, root, parser.Parameters);
    }

    private abstract class Node(int offset, int count)
    {
        /// <summary>The first parameter of this subtree (its parameters are contiguous, depth-first).</summary>
        public int Offset { get; } = offset;

        /// <summary>How many parameters the subtree has.</summary>
        public int Count { get; } = count;

        public abstract Complex Evaluate(double omega, ReadOnlySpan<double> p);

        public abstract Complex Evaluate(double omega, ReadOnlySpan<double> p, Span<Complex> gradient);
    }

    private sealed class ElementNode(CircuitElement element, int offset) : Node(offset, element.Parameters)
    {
        public override Complex Evaluate(double omega, ReadOnlySpan<double> p) => element.Impedance(omega, p.Slice(Offset, Count));

        public override Complex Evaluate(double omega, ReadOnlySpan<double> p, Span<Complex> gradient) =>
            element.Gradient(omega, p.Slice(Offset, Count), gradient.Slice(Offset, Count));
    }

    private sealed class SeriesNode(List<Node> parts) : Node(parts[0].Offset, parts.Sum(x => x.Count))
    {
        public override Complex Evaluate(double omega, ReadOnlySpan<double> p)
        {
            Complex z = 0;
            foreach (var part in parts)
            {
                z += part.Evaluate(omega, p);
            }
            return z;
        }

        public override Complex Evaluate(double omega, ReadOnlySpan<double> p, Span<Complex> gradient)
        {
            Complex z = 0;
            foreach (var part in parts)
            {
                z += part.Evaluate(omega, p, gradient);
            }
            return z;
        }
    }

    private sealed class ParallelNode(List<Node> branches) : Node(branches[0].Offset, branches.Sum(x => x.Count))
    {
        public override Complex Evaluate(double omega, ReadOnlySpan<double> p)
        {
            Complex y = 0;
            foreach (var branch in branches)
            {
                y += 1 / branch.Evaluate(omega, p);
            }
            return 1 / y;
        }

        public override Complex Evaluate(double omega, ReadOnlySpan<double> p, Span<Complex> gradient)
        {
            Span<Complex> zb = branches.Count <= 16 ? stackalloc Complex[branches.Count] : new Complex[branches.Count];
            Complex y = 0;
            for (int b = 0; b < branches.Count; b++)
            {
                zb[b] = branches[b].Evaluate(omega, p, gradient);
                y += 1 / zb[b];
            }
            var z = 1 / y;
            for (int b = 0; b < branches.Count; b++)
            {
                var scale = z / zb[b];
                scale *= scale;
                var slots = gradient.Slice(branches[b].Offset, branches[b].Count);
                for (int k = 0; k < slots.Length; k++)
                {
                    slots[k] *= scale;
                }
            }
            return z;
        }
    }

    private sealed class Parser(string text)
    {
        private readonly HashSet<string> _labels = new(StringComparer.Ordinal);

        public int Position { get; private set; }

        public List<(string Name, CircuitElement Element, int Index)> Parameters { get; } = [];

        public Node Series()
        {
            var parts = new List<Node> { Term() };
            while (Position < text.Length && text[Position] == '-')
            {
                Position++;
                parts.Add(Term());
            }
            return parts.Count == 1 ? parts[0] : new SeriesNode(parts);
        }

        private Node Term()
        {
            if (string.CompareOrdinal(text, Position, "p(", 0, 2) == 0)
            {
                int open = Position;
                Position += 2;
                var branches = new List<Node> { Series() };
                while (Position < text.Length && text[Position] == ',')
                {
                    Position++;
                    branches.Add(Series());
                }
                if (Position >= text.Length || text[Position] != ')')
                {
                    throw new CircuitSyntaxException(text, open, "unbalanced '(': no matching ')'");
                }
                if (branches.Count < 2)
                {
                    throw new CircuitSyntaxException(text, open, "a parallel group needs at least two branches");
                }
                Position++;
                return new ParallelNode(branches);
            }
            int start = Position;
            var element = CircuitElements.All.FirstOrDefault(e => string.CompareOrdinal(text, Position, e.Name, 0, e.Name.Length) == 0)
                          ?? throw new CircuitSyntaxException(text, start, $"unknown element at '{text[start..Math.Min(text.Length, start + 6)]}'; known: {string.Join(", ", CircuitElements.All.Select(e => e.Name).Order())}");
            Position += element.Name.Length;
            int digits = Position;
            while (Position < text.Length && char.IsAsciiDigit(text[Position]))
            {
                Position++;
            }
            if (Position == digits)
            {
                throw new CircuitSyntaxException(text, digits, $"element {element.Name} needs an index, e.g. {element.Name}1");
            }
            string label = text[start..Position];
            if (!_labels.Add(label))
            {
                throw new CircuitSyntaxException(text, start, $"duplicate label {label}");
            }
            int offset = Parameters.Count;
            for (int i = 0; i < element.Parameters; i++)
            {
                Parameters.Add((element.Parameters == 1 ? label : $"{label}_{i}", element, i));
            }
            return new ElementNode(element, offset);
        }
    }
}

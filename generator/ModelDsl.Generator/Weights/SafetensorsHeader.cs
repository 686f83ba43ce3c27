using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelDsl.Generator.Weights;

/// <summary>
/// The tensors a safetensors header names: key → dtype and shape. A safetensors file is an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON (<c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}, "__metadata__": {..}}</c>),
/// then the raw data.
/// <para>
/// An analyzer reads an AdditionalFile only as text (<c>AdditionalText.GetText()</c>; it may not open files, RS1035),
/// and the compiler refuses a safetensors file as text (CS2015, "a binary file": its length bytes hold NULs). So the
/// build hands over the header instead: ModelDsl's MSBuild targets copy the JSON of each <c>ModelDslWeightsFile</c> into
/// <c>{file}.header.json</c> and add that as an AdditionalFile. Parse reads that JSON, or a whole file decoded as text
/// where some host allows it (the length prefix is then skipped: the JSON starts at the last <c>{</c> within the first 9
/// characters that follows a NUL, as the length's high byte is 0 below 2⁵⁶ bytes and JSON holds no NUL).
/// </para>
/// </summary>
internal sealed class SafetensorsHeader
{
    private SafetensorsHeader(Dictionary<string, (string DType, long[] Shape)> tensors) => Tensors = tensors;

    /// <summary>Tensor key → dtype name (F32, F16, BF16, I64, …) and shape, without <c>__metadata__</c>.</summary>
    public IReadOnlyDictionary<string, (string DType, long[] Shape)> Tensors { get; }

    /// <summary>The header of the decoded file text, or null with <paramref name="problem"/> saying what is wrong.</summary>
    public static SafetensorsHeader? Parse(string text, out string problem)
    {
        int start = -1;
        string trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            problem = "it has no safetensors header (its first 8 bytes give no header length that fits the file)";
            return null;
        }
        if (trimmed[0] == '{') start = text.Length - trimmed.Length;
        else
        {
            for (int i = 1; i < text.Length && i <= 8; i++)
            {
                if (text[i] == '{' && text[i - 1] == '\0') start = i;
            }
        }
        if (start < 0)
        {
            problem = "it does not start with an 8-byte header length followed by a JSON object";
            return null;
        }
        var reader = new Json(text, start);
        object? root;
        try
        {
            root = reader.Value();
        }
        catch (System.FormatException e)
        {
            problem = "its JSON header is malformed (" + e.Message + ")";
            return null;
        }
        if (root is not Dictionary<string, object?> entries)
        {
            problem = "its JSON header is no object";
            return null;
        }
        var tensors = new Dictionary<string, (string, long[])>(System.StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> entry in entries)
        {
            if (entry.Key == "__metadata__") continue;
            if (entry.Value is not Dictionary<string, object?> tensor
                || !tensor.TryGetValue("dtype", out object? dtype) || dtype is not string dtypeName
                || !tensor.TryGetValue("shape", out object? shape) || shape is not List<object?> dimensions
                || !tensor.ContainsKey("data_offsets"))
            {
                problem = $"its header entry '{entry.Key}' is no tensor (dtype, shape and data_offsets)";
                return null;
            }
            var sizes = new long[dimensions.Count];
            for (int d = 0; d < sizes.Length; d++)
            {
                if (dimensions[d] is not double size || size < 0 || size != System.Math.Floor(size))
                {
                    problem = $"the shape of '{entry.Key}' is no list of sizes";
                    return null;
                }
                sizes[d] = (long)size;
            }
            tensors[entry.Key] = (dtypeName, sizes);
        }
        problem = "";
        return new SafetensorsHeader(tensors);
    }

    /// <summary>A minimal JSON reader (objects, arrays, strings, numbers, literals): the analyzer targets netstandard2.0 without System.Text.Json.</summary>
    private sealed class Json
    {
        private readonly string text;
        private int at;

        public Json(string text, int at)
        {
            this.text = text;
            this.at = at;
        }

        public object? Value()
        {
            Skip();
            if (at >= text.Length) throw new System.FormatException("it ends early");
            char c = text[at];
            if (c == '{') return Object();
            if (c == '[') return Array();
            if (c == '"') return String();
            if (c == '-' || (c >= '0' && c <= '9')) return Number();
            foreach ((string literal, object? value) in new (string, object?)[] { ("true", true), ("false", false), ("null", null) })
            {
                if (string.CompareOrdinal(text, at, literal, 0, literal.Length) == 0)
                {
                    at += literal.Length;
                    return value;
                }
            }
            throw new System.FormatException($"unexpected '{c}' at character {at}");
        }

        private Dictionary<string, object?> Object()
        {
            var result = new Dictionary<string, object?>(System.StringComparer.Ordinal);
            at++;
            Skip();
            if (Peek() == '}') { at++; return result; }
            while (true)
            {
                Skip();
                if (Peek() != '"') throw new System.FormatException($"expected a key at character {at}");
                string key = String();
                Skip();
                Expect(':');
                result[key] = Value();
                Skip();
                if (Peek() == ',') { at++; continue; }
                Expect('}');
                return result;
            }
        }

        private List<object?> Array()
        {
            var result = new List<object?>();
            at++;
            Skip();
            if (Peek() == ']') { at++; return result; }
            while (true)
            {
                result.Add(Value());
                Skip();
                if (Peek() == ',') { at++; continue; }
                Expect(']');
                return result;
            }
        }

        private string String()
        {
            var value = new StringBuilder();
            at++;
            while (true)
            {
                if (at >= text.Length) throw new System.FormatException("a string does not end");
                char c = text[at++];
                if (c == '"') return value.ToString();
                if (c != '\\') { value.Append(c); continue; }
                if (at >= text.Length) throw new System.FormatException("a string does not end");
                char e = text[at++];
                switch (e)
                {
                    case 'u':
                        if (at + 4 > text.Length || !int.TryParse(text.Substring(at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                            throw new System.FormatException($"a bad \\u escape at character {at}");
                        value.Append((char)code);
                        at += 4;
                        break;
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    default: value.Append(e); break;
                }
            }
        }

        private double Number()
        {
            int begin = at;
            while (at < text.Length && "+-0123456789.eE".IndexOf(text[at]) >= 0) at++;
            if (!double.TryParse(text.Substring(begin, at - begin), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new System.FormatException($"a bad number at character {begin}");
            return value;
        }

        private void Skip()
        {
            while (at < text.Length && text[at] is ' ' or '\t' or '\n' or '\r') at++;
        }

        private char Peek() => at < text.Length ? text[at] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw new System.FormatException($"expected '{c}' at character {at}");
            at++;
        }
    }
}

using System.Text.Json;

namespace Harness.Reports.Html;

/// <summary>
/// A final state as a results file writes it (<c>{"1:r0": 0, "x": 2}</c>), printed herd7's way;
/// two states are the same state when they print the same.
/// </summary>
internal sealed record ReportedState(string Text, IReadOnlyList<long> Values) : IComparable<ReportedState>
{
    public static ReportedState Read(JsonElement state)
    {
        var pairs = state.ValueKind == JsonValueKind.Object ? state.EnumerateObject().ToList() : [];
        var values = pairs.Select(p => p.Value.TryGetInt64(out var v) ? v : 0).ToList();
        return new ReportedState(string.Concat(pairs.Select(p => $"{p.Name}={p.Value}; ")).TrimEnd(), values);
    }

    public IReadOnlyList<string> Keys => Text.Length == 0 ? [] : Text.Split("; ").Select(part => part.Split('=')[0]).ToList();

    public bool Equals(ReportedState? other) => other is not null && other.Text == Text;
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    /// <summary>The charts' order: by values, key by key.</summary>
    public int CompareTo(ReportedState? other)
    {
        if (other is null) return 1;
        for (var i = 0; i < Math.Min(Values.Count, other.Values.Count); i++)
        {
            var c = Values[i].CompareTo(other.Values[i]);
            if (c != 0) return c;
        }
        return Values.Count != other.Values.Count ? Values.Count.CompareTo(other.Values.Count) : string.CompareOrdinal(Text, other.Text);
    }

    public override string ToString() => Text;
}

/// <summary>An observed state, its count and the class the run gave it.</summary>
internal sealed record ReportedOutcome(ReportedState State, long Count, string Class);

/// <summary>
/// One model's predicted set as the file holds it, under the label the report shows. Read without
/// a fixed list of models, so that whatever predictions a newer harness writes show up.
/// </summary>
internal sealed record ReportedPrediction(string Key, string Label, JsonElement Entry)
{
    public string? Verdict => JsonRead.Text(Entry, "verdict");
    public bool Undefined => JsonRead.Flag(Entry, "undefined");
    public long CutByLoopBound => JsonRead.Number(Entry, "cut_by_loop_bound") ?? 0;

    public IReadOnlyList<ReportedState> States =>
        Entry.TryGetProperty("states", out var states) && states.ValueKind == JsonValueKind.Array
            ? states.EnumerateArray().Select(ReportedState.Read).ToList()
            : [];

    /// <summary>
    /// "code": the same model on the code the JIT emitted for that target (predicted_elsewhere, read under qemu),
    /// labelled with where it was read; null when it was not read.
    /// </summary>
    public ReportedPrediction? Code =>
        Entry.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Object
            ? new ReportedPrediction("code", JsonRead.Text(code, "target") ?? "emitted code", code)
            : null;

    /// <summary>Why the code was read but not judged (predicted_elsewhere's "code"), else null.</summary>
    public string? NotJudged => JsonRead.Text(Entry, "not_judged");

    /// <summary>herd7's answer for the condition as written: Ok when the model lets it hold, No when not.</summary>
    public string Answer => Verdict switch
    {
        "allowed" => "Ok",
        "forbidden" => "No",
        null => "?",
        var other => other,
    };
}

/// <summary>
/// One test of a results folder: its object from run.json (or tests/NAME.json), read field by
/// field and tolerant of fields it does not know, which the test page still lists.
/// </summary>
internal sealed class ReportedTest(JsonElement json, string family)
{
    public JsonElement Json { get; } = json;
    public string Family { get; } = family;

    public string Name => JsonRead.Text(Json, "test") ?? "?";
    public string FileName => ResultFiles.FileName(Name);
    public string PageFile => FileName + ".html";
    public string? SourceFile => JsonRead.Text(Json, "file");
    public string Condition => JsonRead.Text(Json, "condition") ?? "";
    public string? Scheme => JsonRead.Text(Json, "scheme");
    public string? Layout => JsonRead.Text(Json, "layout");
    public string Verdict => JsonRead.Text(Json, "verdict") ?? "?";
    public string Observation => JsonRead.Text(Json, "observation") ?? "?";
    public long Iterations => JsonRead.Number(Json, "iterations") ?? 0;
    public long Positive => JsonRead.Number(Json, "positive") ?? 0;
    public long Negative => JsonRead.Number(Json, "negative") ?? 0;
    public long Weak => JsonRead.Number(Json, "weak") ?? 0;
    public long BeyondBound => JsonRead.Number(Json, "beyond_bound") ?? 0;
    public long DidNotTerminate => JsonRead.Number(Json, "did_not_terminate") ?? 0;
    public double Seconds => JsonRead.Real(Json, "seconds") ?? 0;
    public bool Partial => JsonRead.Flag(Json, "partial");
    public IReadOnlyList<string> Warnings => JsonRead.Strings(Json, "warnings");

    public double Frequency => Iterations > 0 ? (double)Positive / Iterations : 0;

    public IReadOnlyList<ReportedOutcome> Histogram =>
        Json.TryGetProperty("histogram", out var histogram) && histogram.ValueKind == JsonValueKind.Array
            ? histogram.EnumerateArray()
                .Select(o => new ReportedOutcome(ReportedState.Read(JsonRead.Field(o, "state")), JsonRead.Number(o, "count") ?? 0,
                    JsonRead.Text(o, "class") ?? "?"))
                .ToList()
            : [];

    public IReadOnlyList<ReportedState> AllowedUnseen => JsonRead.States(Json, "allowed_unseen");
    public IReadOnlyList<ReportedState> NotObservable => JsonRead.States(Json, "not_observable");

    /// <summary>An observed state some model forbids: the run's alarm.</summary>
    public bool ForbiddenObserved => Verdict == "forbidden" || Histogram.Any(o => o.Class.StartsWith("forbidden", StringComparison.Ordinal));

    /// <summary>
    /// More test threads than CPUs: the runner let them take turns and said so, and a state never
    /// seen then says little about the hardware.
    /// </summary>
    public string? OversubscribedWarning => Warnings.FirstOrDefault(w => w.Contains("take turns", StringComparison.Ordinal));

    /// <summary>Every predicted set in the file, in its order; a model holding several profiles gives one entry per profile.</summary>
    public IReadOnlyList<ReportedPrediction> Predictions
    {
        get
        {
            var found = new List<ReportedPrediction>();
            if (Json.TryGetProperty("predicted", out var predicted) && predicted.ValueKind == JsonValueKind.Object)
                foreach (var model in predicted.EnumerateObject()) Flatten(model.Name, model.Value, found);
            return found;
        }
    }

    /// <summary>
    /// "predicted_elsewhere": what each other target's model allows for the test (today the arm64
    /// profiles beside an x64 run), predicted, not observed; labelled "arm64 (lse-rcpc)" and so on.
    /// </summary>
    public IReadOnlyList<ReportedPrediction> PredictedElsewhere =>
        Json.TryGetProperty("predicted_elsewhere", out var elsewhere) && elsewhere.ValueKind == JsonValueKind.Object
            ? elsewhere.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Object)
                .Select(p => new ReportedPrediction(p.Name, ElsewhereLabel(p.Name), p.Value))
                .ToList()
            : [];

    /// <summary>The label summary.md gives the same column: the architecture, then the profile.</summary>
    public static string ElsewhereLabel(string profile) =>
        profile == "x64" ? "x64" : profile.StartsWith("arm64", StringComparison.Ordinal) ? profile : $"arm64 ({profile})";

    /// <summary>
    /// A prediction is an object with "states". Anything else under a model's key is looked into: an
    /// object of profiles ({"arm64": {"lse": {...}, "v8.0": {...}}}) or an array of entries.
    /// </summary>
    private static void Flatten(string key, JsonElement value, List<ReportedPrediction> found)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when value.TryGetProperty("states", out _):
                found.Add(new ReportedPrediction(key, ModelLabel(key, JsonRead.Text(value, "profile")), value));
                break;
            case JsonValueKind.Object:
                foreach (var child in value.EnumerateObject()) Flatten($"{key} {child.Name}", child.Value, found);
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray()) Flatten(key, item, found);
                break;
        }
    }

    /// <summary>The models' usual names; the profile, when the key does not already say it, in parentheses.</summary>
    public static string ModelLabel(string key, string? profile)
    {
        var words = key.Split(' ', 2);
        var name = words[0] switch
        {
            "sc" => "SC",
            "tso" => "x86-TSO",
            "arm64" => "ARMv8",
            "rc11" => "RC11",
            "cpp20" => "C++20",
            "net" => ".NET",
            var other => other,
        };
        if (words.Length > 1) name += " " + words[1];
        return profile is null || key.Contains(profile, StringComparison.Ordinal) || (key == "tso" && profile == "x64") ? name : $"{name} ({profile})";
    }

    /// <summary>
    /// What the run learnt of the code the JIT emitted, one entry per target: today one object under
    /// "emitted_code"; an array or an object of targets is read the same way.
    /// </summary>
    public IReadOnlyList<JsonElement> Emitted
    {
        get
        {
            if (!Json.TryGetProperty("emitted_code", out var emitted)) return [];
            return emitted.ValueKind switch
            {
                JsonValueKind.Object when emitted.TryGetProperty("target", out _) || emitted.TryGetProperty("judged", out _) => [emitted],
                JsonValueKind.Object => emitted.EnumerateObject().Select(p => p.Value).Where(v => v.ValueKind == JsonValueKind.Object).ToList(),
                JsonValueKind.Array => emitted.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object).ToList(),
                _ => [],
            };
        }
    }
}

/// <summary>Lenient reads of a results file: a missing or mistyped field is null, never an exception.</summary>
internal static class JsonRead
{
    public static JsonElement Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static string? Text(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static long? Number(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var n) ? n : null;

    public static double? Real(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    public static bool Flag(JsonElement element, string name) => Field(element, name).ValueKind == JsonValueKind.True;

    public static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString() ?? "").ToList()
            : [];

    public static IReadOnlyList<ReportedState> States(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(ReportedState.Read).ToList() : [];

    /// <summary>An array whose items are all objects of registers and locations to numbers: a list of states.</summary>
    public static bool IsStateList(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(item =>
            item.ValueKind == JsonValueKind.Object && item.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Number));

    /// <summary>A scalar as text: strings as they are, numbers and booleans as JSON writes them.</summary>
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };
}

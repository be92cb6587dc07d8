using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.Reports.Html;
using SkiaSharp;

namespace Harness.Tests.Reports.Html;

/// <summary>
/// The report as a reader gets it: a small results folder's index.html and two test pages loaded
/// by headless Chromium from files, with no server and no network. A page of this folder shows the
/// three pages in frames, one under the other, and runs a script over them that writes down what
/// the browser made of each (rows, resolved links, decoded images, computed colours); the window's
/// screenshot shows that something readable was drawn. Skipped, with the reason, when no Chromium
/// is installed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HtmlReportBrowserTests
{
    private const int Width = 1280;

    /// <summary>The height of each page's frame, and so of its part of the screenshot.</summary>
    private const int FrameHeight = 2000;

    private HtmlReportFixture _fixture = null!;
    private List<JsonElement> _pages = [];
    private readonly List<string> _shots = [];

    [OneTimeSetUp]
    public async Task LoadTheReportInChromium()
    {
        var browser = HeadlessChromium.Require();
        var clock = Stopwatch.StartNew();
        _fixture = HtmlReportFixture.Create();
        HtmlReport.Write(_fixture.Results);
        var pages = new[] { _fixture.IndexPath, _fixture.PagePath(HtmlReportFixture.ForbiddenTest), _fixture.PagePath(HtmlReportFixture.EscapedTest) };
        var checker = Path.Combine(_fixture.Root, "check.html");
        File.WriteAllText(checker, Checker(pages));
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "html-report-screenshots");
        Directory.CreateDirectory(folder);
        var window = Path.Combine(_fixture.Root, "window.png");
        var prepared = clock.Elapsed;

        var dom = await HeadlessChromium.Capture(browser, checker, window, Width, FrameHeight * pages.Length, TimeSpan.FromSeconds(20), _fixture.Root);

        var result = Regex.Match(dom, "<pre id=\"result\"[^>]*>(.*?)</pre>", RegexOptions.Singleline);
        Assert.That(result.Success, Is.True, "the checker page was dumped");
        var json = WebUtility.HtmlDecode(result.Groups[1].Value);
        Assert.That(json, Does.StartWith("["), $"the checker's script finished: {json}");
        _pages = JsonDocument.Parse(json).RootElement.EnumerateArray().Select(p => p.Clone()).ToList();
        // A screenshot per page, cut from the window where its frame lies, kept beside the test assembly to look at.
        using var shot = SKBitmap.Decode(window);
        Assert.That(shot, Is.Not.Null, "Chromium wrote a screenshot");
        for (var i = 0; i < pages.Length; i++)
        {
            using var part = new SKBitmap(Width, FrameHeight);
            Assert.That(shot.ExtractSubset(part, SKRectI.Create(0, i * FrameHeight, Width, FrameHeight)), Is.True);
            var file = Path.Combine(folder, Path.GetFileNameWithoutExtension(pages[i]) + ".png");
            using (var stream = File.Create(file)) part.Encode(stream, SKEncodedImageFormat.Png, 100);
            _shots.Add(file);
            TestContext.AddTestAttachment(file, $"{Path.GetFileName(pages[i])} in headless Chromium");
        }
        TestContext.Progress.WriteLine($"HtmlReportBrowserTests: results folder and report {prepared.TotalSeconds:F1} s, " +
                                       $"Chromium {(clock.Elapsed - prepared).TotalSeconds:F1} s; screenshots in {folder}");
    }

    [OneTimeTearDown]
    public void RemoveResults() => _fixture?.Dispose();

    private JsonElement Index => _pages[0];
    private JsonElement ForbiddenPage => _pages[1];
    private JsonElement EscapedPage => _pages[2];

    private static IEnumerable<string> Strings(JsonElement page, string property) => page.GetProperty(property).EnumerateArray().Select(e => e.GetString() ?? "");

    [Test]
    public void The_index_loads_with_a_row_per_test()
    {
        Assert.That(Index.GetProperty("title").GetString(), Is.EqualTo($"Litmus suite on {HtmlReportFixture.Machine.Id}"));
        Assert.That(Strings(Index, "rows"), Is.EqualTo(HtmlReportFixture.TestNames));
    }

    [Test]
    public void The_search_box_and_the_switch_hide_the_other_tests()
    {
        var filtered = Index.GetProperty("filtered");
        Assert.That(filtered.GetProperty("searched").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { HtmlReportFixture.OversubscribedTest }));
        Assert.That(filtered.GetProperty("families").GetInt32(), Is.EqualTo(1), "a family with no test left is hidden too");
        Assert.That(filtered.GetProperty("interesting").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { HtmlReportFixture.WeakTest, HtmlReportFixture.ForbiddenTest, HtmlReportFixture.EscapedTest }));
        Assert.That(filtered.GetProperty("all").GetInt32(), Is.EqualTo(HtmlReportFixture.TestNames.Count), "cleared, every row is back");
    }

    [Test]
    public void Every_link_the_browser_resolved_is_a_file_that_exists()
    {
        foreach (var page in _pages)
        {
            var links = Strings(page, "links").ToList();
            Assert.That(links, Is.Not.Empty);
            foreach (var link in links)
            {
                var uri = new Uri(link);
                Assert.That(uri.Scheme, Is.EqualTo("file"), $"{link} on {page.GetProperty("url")} goes nowhere without a network");
                Assert.That(File.Exists(uri.LocalPath), Is.True, $"{link} on {page.GetProperty("url")}");
            }
        }
        // Each test's page, reached from its row.
        foreach (var test in HtmlReportFixture.TestNames)
            Assert.That(Strings(Index, "links").Select(l => new Uri(l).LocalPath), Does.Contain(_fixture.PagePath(test)));
    }

    [Test]
    public void Every_chart_is_an_image_the_browser_decoded()
    {
        var indexImages = Index.GetProperty("images").EnumerateArray().ToList();
        Assert.That(indexImages, Has.Count.EqualTo(HtmlReportFixture.TestNames.Count + 1), "a chart per row, and the summary chart");
        foreach (var page in _pages)
        foreach (var image in page.GetProperty("images").EnumerateArray())
        {
            var source = image.GetProperty("src").GetString()!;
            Assert.That(image.GetProperty("complete").GetBoolean(), Is.True, source);
            Assert.That(image.GetProperty("width").GetInt32(), Is.GreaterThan(100), $"{source} decoded");
            Assert.That(File.Exists(new Uri(source).LocalPath), Is.True, source);
        }
        Assert.That(ForbiddenPage.GetProperty("images").GetArrayLength(), Is.EqualTo(1), "the test's histogram");
    }

    [Test]
    public void A_forbidden_state_observed_is_drawn_in_the_charts_red()
    {
        Assert.That(ForbiddenPage.GetProperty("forbiddenBadge").GetString(), Is.EqualTo("rgb(214, 39, 40)"));
        Assert.That(Rgb(ForbiddenPage.GetProperty("forbiddenRow").GetString()), Is.EqualTo((253, 236, 234)), "the row's light red");
        Assert.That(Rgb(Index.GetProperty("forbiddenRow").GetString()), Is.EqualTo((253, 236, 234)), "the index row of the test");
    }

    [Test]
    public void A_name_and_a_source_full_of_markup_read_as_written()
    {
        Assert.That(EscapedPage.GetProperty("h1").GetString(), Is.EqualTo(HtmlReportFixture.EscapedTest));
        Assert.That(EscapedPage.GetProperty("litmus").GetString(), Does.Contain(HtmlReportFixture.MarkupInComment));
        Assert.That(EscapedPage.GetProperty("elementsInSource").GetInt32(), Is.EqualTo(0), "no element but the comments' spans inside the source");
    }

    [Test]
    public void The_screenshots_show_a_styled_page_not_a_blank_one()
    {
        Assert.That(_shots, Has.Count.EqualTo(3));
        foreach (var shot in _shots)
        {
            using var bitmap = SKBitmap.Decode(shot);
            // The header band is the style's dark blue: the inline style applied.
            var header = bitmap.GetPixel(8, 8);
            Assert.That((header.Red, header.Green, header.Blue), Is.EqualTo(((byte)0x1d, (byte)0x2b, (byte)0x3a)), shot);
            var pixels = bitmap.Pixels;
            var colours = pixels.Select(p => (uint)p & 0xF8F8F8).Distinct().Count();
            var share = (double)pixels.Count(p => p.Red < 200 || p.Green < 200 || p.Blue < 200) / pixels.Length;
            Assert.That(share, Is.GreaterThan(0.05), $"{shot}: {share:P1} of the page is drawn on");
            Assert.That(colours, Is.GreaterThan(40), $"{shot}: text, badges and a chart, not a flat fill");
        }
    }

    private static (int, int, int) Rgb(string? css)
    {
        var match = Regex.Match(css ?? "", @"rgba?\((\d+), (\d+), (\d+)");
        Assert.That(match.Success, Is.True, $"a colour: {css}");
        return (int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
    }

    /// <summary>
    /// A page that loads the report's pages in frames and, once every image has loaded or failed,
    /// writes what the browser made of each as JSON into #result. Lazily loaded charts are made
    /// eager first: a frame's off-screen images would otherwise never load.
    /// </summary>
    private static string Checker(params string[] pages) => $$"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>check</title>
        <style>body { margin: 0; } iframe { display: block; border: 0; width: {{Width}}px; height: {{FrameHeight}}px; }</style></head>
        <body>
        <pre id="result" hidden>pending</pre>
        {{string.Concat(pages.Select(p => $"<iframe src=\"{HeadlessChromium.Url(p)}\"></iframe>\n"))}}
        <script>
        (function () {
          var frames = Array.prototype.slice.call(document.querySelectorAll('iframe'));
          function settle(doc) {
            var images = Array.prototype.slice.call(doc.images);
            images.forEach(function (image) { image.loading = 'eager'; });
            return Promise.all(images.map(function (image) {
              if (image.complete) return Promise.resolve();
              return new Promise(function (done) { image.addEventListener('load', done); image.addEventListener('error', done); });
            }));
          }
          function style(doc, selector, property) {
            var element = doc.querySelector(selector);
            return element ? getComputedStyle(element)[property] : null;
          }
          function describe(frame) {
            var doc = frame.contentDocument;
            var h1 = doc.querySelector('h1');
            var litmus = doc.querySelector('pre.litmus');
            return {
              url: doc.URL,
              title: doc.title,
              h1: h1 ? h1.textContent : null,
              rows: Array.prototype.map.call(doc.querySelectorAll('tr[data-test]'), function (row) { return row.dataset.test; }),
              links: Array.prototype.map.call(doc.querySelectorAll('a[href]'), function (a) { return a.href; }),
              images: Array.prototype.map.call(doc.images, function (image) {
                return { src: image.src, complete: image.complete, width: image.naturalWidth, height: image.naturalHeight };
              }),
              forbiddenRow: style(doc, 'tr.forbidden td', 'backgroundColor'),
              forbiddenBadge: style(doc, '.cls-forbidden-hw', 'backgroundColor'),
              litmus: litmus ? litmus.textContent : null,
              elementsInSource: litmus ? litmus.querySelectorAll(':not(span.comment)').length : -1,
              filtered: filter(doc)
            };
          }
          // The index's search box and switch, used as a reader would, then put back.
          function filter(doc) {
            var box = doc.getElementById('filter'), interesting = doc.getElementById('interesting');
            if (!box || !interesting) return null;
            function shown() {
              return Array.prototype.map.call(doc.querySelectorAll('tr[data-test]:not([hidden])'), function (row) { return row.dataset.test; });
            }
            box.value = 'wrc';
            box.dispatchEvent(new Event('input'));
            var searched = shown();
            var families = doc.querySelectorAll('tbody.family:not([hidden])').length;
            box.value = '';
            box.dispatchEvent(new Event('input'));
            interesting.checked = true;
            interesting.dispatchEvent(new Event('change'));
            var weakOrForbidden = shown();
            interesting.checked = false;
            interesting.dispatchEvent(new Event('change'));
            return { searched: searched, families: families, interesting: weakOrForbidden, all: shown().length };
          }
          window.addEventListener('load', function () {
            Promise.all(frames.map(function (frame) { return settle(frame.contentDocument); })).then(function () {
              document.getElementById('result').textContent = JSON.stringify(frames.map(describe));
            }).catch(function (error) { document.getElementById('result').textContent = 'error: ' + error; });
          });
        })();
        </script>
        </body></html>
        """;
}

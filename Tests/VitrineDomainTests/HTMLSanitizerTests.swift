import Foundation
import Testing

@testable import VitrineDomain

struct XSSVector: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    /// The exact sanitised output, when it is meaningful to pin it down.
    let expected: String?

    init(_ name: String, _ input: String, _ expected: String? = nil) {
        self.name = name
        self.input = input
        self.expected = expected
    }

    var testDescription: String { name }
}

private let link = "rel=\"nofollow noopener\""

private let xssVectors: [XSSVector] = [
    XSSVector("event handler on p", #"<p onclick="alert(1)">Hi</p>"#, "<p>Hi</p>"),
    XSSVector(
        "event handlers on an upper-case a", #"<A HREF="/sale" ONCLICK=alert(1) onmouseover='x'>Go</A>"#,
        #"<a href="/sale" \#(link)>Go</a>"#),
    XSSVector("javascript href", #"<a href="javascript:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("unquoted javascript href", "<a href=javascript:alert(1)>x</a>", "<a \(link)>x</a>"),
    XSSVector("tab entity inside scheme", #"<a href="jav&#x09;ascript:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("decimal entity", #"<a href="&#106;avascript:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector(
        "hex entities without semicolons", #"<a href="&#x6A&#x61&#x76&#x61script:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector(
        "zero-padded decimal entities without semicolons",
        #"<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>"#,
        "<a \(link)>x</a>"),
    XSSVector("colon entity", #"<a href="javascript&colon;alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("upper-case scheme", #"<a href="JAVASCRIPT:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("Tab and NewLine entities", #"<a href="java&Tab;scr&NewLine;ipt:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("raw whitespace and controls", "<a href=\" \u{01}\n java\nscript:alert(1)\">x</a>", "<a \(link)>x</a>"),
    XSSVector("NUL inside scheme", "<a href=\"java\0script:alert(1)\">x</a>", "<a \(link)>x</a>"),
    XSSVector("encoded control before scheme", #"<a href="&#1;&#x20;javascript:alert(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("vbscript href", #"<a href="vbscript:msgbox(1)">x</a>"#, "<a \(link)>x</a>"),
    XSSVector(
        "data href", #"<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("protocol-relative href", #"<a href="//evil.example">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("backslash protocol-relative href", #"<a href="/\evil.example">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("first duplicate href wins", #"<a href="javascript:alert(1)" href="/ok">x</a>"#, "<a \(link)>x</a>"),
    XSSVector("svg onload", "<svg onload=alert(1)>", ""),
    XSSVector("svg script", "<svg><script>alert(1)</script></svg>ok", "ok"),
    XSSVector(
        "math mglyph style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></math>ok", "ok"),
    XSSVector("img onerror", "<img src=x onerror=alert(1)>", ""),
    XSSVector("slashes as separators", "<img/src/onerror=alert(1)>", ""),
    XSSVector("iframe srcdoc", #"<iframe srcdoc="<script>alert(1)</script>"></iframe>after"#, "after"),
    XSSVector("style expression", "<style>p{background:expression(alert(1))}</style>text", "text"),
    XSSVector("unclosed script without >", "Bonjour <script src=//evil.example/x.js", "Bonjour "),
    XSSVector("unclosed img without >", "<p>x<img src=x onerror=alert(1)", "<p>x</p>"),
    XSSVector("unclosed quote", #"<p>x</p><img src="x onerror=alert(1)>"#, "<p>x</p>"),
    XSSVector("split script tag", "<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
    XSSVector("doubled angle bracket", "<<script>alert(1);//<</script>", "&lt;"),
    XSSVector("stray close then script", "</script><script>alert(1)</script>", ""),
    XSSVector("form action", #"<form action="javascript:alert(1)"><button>go</button></form>"#, "go"),
    XSSVector("base href", #"<base href="javascript:alert(1)//">"#, ""),
    XSSVector("meta refresh", #"<meta http-equiv="refresh" content="0;url=javascript:alert(1)">"#, ""),
    XSSVector("abrupt comment", "<!--><script>alert(1)</script>-->", "--&gt;"),
    XSSVector("comment hiding script", "<!-- <script>alert(1)</script> -->ok", "ok"),
    XSSVector("attribute breaking", #"<a href="x" " onmouseover="alert(1)">y</a>"#, "<a \(link)>y</a>"),
    XSSVector(
        "attribute breaking keeps a safe href", #"<a href="/ok"" onmouseover=alert(1)>y</a>"#,
        #"<a href="/ok" \#(link)>y</a>"#),
    XSSVector("style url", #"<p style="background:url(javascript:alert(1))">x</p>"#, "<p>x</p>"),
    XSSVector("object data", #"<object data="javascript:alert(1)"><param name=x></object>z"#, "z"),
    XSSVector("embed without close", #"<embed src="data:image/svg+xml;base64,PHN2Zz4=">z"#, ""),
    XSSVector("template script", "<template><script>alert(1)</script></template>ok", "ok"),
    XSSVector("textarea escape", "<textarea></textarea><script>alert(1)</script>", ""),
    XSSVector("script inside textarea", "<textarea><script>alert(1)</script></textarea>ok", "ok"),
    XSSVector("noscript attribute trick", #"<noscript><p title="</noscript><img src=x onerror=alert(1)>">"#, "\"&gt;"),
    XSSVector("xmp", "<xmp><script>alert(1)</script></xmp>", ""),
    XSSVector("plaintext", "<plaintext><script>alert(1)", ""),
    XSSVector("CDATA", "<![CDATA[<script>alert(1)</script>]]>ok", "ok"),
    XSSVector("processing instruction", #"<?xml-stylesheet href="javascript:alert(1)"?><p>x</p>"#, "<p>x</p>"),
    XSSVector(
        "entity-encoded tags stay text", "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&lt;script&gt;alert(1)&lt;/script&gt;"),
    XSSVector(
        "numeric-encoded tags stay text", "&#60;img src=x onerror=alert(1)&#62;", "&lt;img src=x onerror=alert(1)&gt;"),
    XSSVector(
        "title breaking out", #"<a href="/p" title='"><script>alert(1)</script>'>x</a>"#,
        #"<a href="/p" title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" \#(link)>x</a>"#),
    XSSVector(
        "nested and mis-nested", #"<p><a href="https://ok.example" onclick=alert(1)><b>ok</p><i>"#,
        #"<p><a href="https://ok.example" \#(link)><b>ok</b></a></p><i></i>"#),
]

@Suite struct HTMLSanitizerTests {
    func sanitize(_ html: String) -> String {
        HTMLSanitizer.sanitize(html)
    }

    /// The `name="value"` pairs of every tag in sanitiser output, where `"` in values is always escaped.
    func attributes(in html: String) -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        for tag in html.split(separator: "<", omittingEmptySubsequences: false).dropFirst() {
            let inside = tag.prefix { $0 != ">" }
            var rest = inside.drop { $0 != " " }
            while let equals = rest.firstIndex(of: "=") {
                let name = rest[..<equals].trimmingCharacters(in: .whitespaces)
                let afterQuote = rest[rest.index(after: equals)...].dropFirst()
                let value = afterQuote.prefix { $0 != "\"" }
                result.append((name, String(value)))
                rest = afterQuote.dropFirst(value.count + 1)
            }
        }
        return result
    }

    func expectSafe(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lowered = output.lowercased()
        for forbidden in [
            "<script", "<svg", "<img", "<iframe", "<style", "<math", "<object", "<embed", "<form", "<base", "<meta",
            "<template", "<textarea",
        ] {
            #expect(!lowered.contains(forbidden), "\(forbidden) in \(output)", sourceLocation: sourceLocation)
        }
        for (name, value) in attributes(in: lowered) {
            #expect(
                ["href", "title", "rel"].contains(name), "attribute \(name) in \(output)",
                sourceLocation: sourceLocation)
            #expect(!name.hasPrefix("on"), "event handler in \(output)", sourceLocation: sourceLocation)
            guard name == "href" else { continue }
            for scheme in ["javascript:", "vbscript:", "data:"] {
                #expect(!value.contains(scheme), "\(scheme) href in \(output)", sourceLocation: sourceLocation)
            }
            let allowed =
                ["http:", "https:", "mailto:", "/", "#"].contains { value.hasPrefix($0) } && !value.hasPrefix("//")
            #expect(allowed, "unexpected href \(value)", sourceLocation: sourceLocation)
        }
    }

    // MARK: XSS

    @Test(arguments: xssVectors) func neutralisesXSSVector(_ vector: XSSVector) {
        let output = sanitize(vector.input)
        expectSafe(output)
        if let expected = vector.expected { #expect(output == expected) }
        #expect(sanitize(output) == output, "sanitising is idempotent")
    }

    @Test func safetyCheckCatchesUnsafeOutput() {
        // Guards the guard: the helper must see what the sanitiser must never emit.
        #expect(attributes(in: #"<a href="javascript:x" onclick="y">"#).map(\.name) == ["href", "onclick"])
    }

    // MARK: Shopify content

    @Test func keepsShopifyParagraphIntact() {
        let html = "<p>Un rouge mat <strong>longue tenue</strong>, enrichi en beurre de karité. Tenue 12&nbsp;h.</p>"
        #expect(sanitize(html) == html)
    }

    @Test func keepsShopifyListIntact() {
        let html = "<p>Sérum…</p><ul><li>Sans parfum</li></ul>"
        #expect(sanitize(html) == html)
    }

    @Test func keepsMailtoLinkWithRel() {
        let output = sanitize(#"<p>Écrivez-nous : <a href="mailto:contact@vitrine.example">contact</a></p>"#)
        #expect(output == #"<p>Écrivez-nous : <a href="mailto:contact@vitrine.example" \#(link)>contact</a></p>"#)
        expectSafe(output)
    }

    @Test func keepsHTTPSLinkWithTitleAndRel() {
        let output = sanitize(#"<a href="https://vitrine.example/live?id=42&amp;ref=shop" title="Le direct">Voir</a>"#)
        #expect(
            output == #"<a href="https://vitrine.example/live?id=42&amp;ref=shop" title="Le direct" \#(link)>Voir</a>"#)
        expectSafe(output)
    }

    @Test func keepsRelativeAnchorAndUpperCaseSchemeLinks() {
        #expect(
            sanitize(#"<a href="/produits/rouge">x</a><a href='#avis'>y</a><a href=HTTPS://vitrine.example>z</a>"#)
                == ##"<a href="/produits/rouge" \##(link)>x</a><a href="#avis" \##(link)>y</a>"##
                + #"<a href="HTTPS://vitrine.example" \#(link)>z</a>"#)
    }

    @Test func dropsRelativeLinksWithoutLeadingSlash() {
        #expect(sanitize(#"<a href="page.html">x</a>"#) == "<a \(link)>x</a>")
    }

    @Test func keepsEveryAllowedTag() {
        let html =
            "<h2>a</h2><h3>b</h3><h4>c</h4><blockquote><u>d</u><s>e</s><span>f</span>H<sub>2</sub>O "
            + "x<sup>2</sup><em>g</em><i>h</i><b>i</b></blockquote><ol><li>j</li></ol>"
        #expect(sanitize(html) == html)
    }

    // MARK: Text

    @Test func escapesComparisonsInText() {
        #expect(sanitize("3 < 5 & 6 > 4") == "3 &lt; 5 &amp; 6 &gt; 4")
    }

    @Test func returnsPlainTextUnchanged() {
        let text = "Rouge à lèvres — édition limitée, 3,5 g. Livraison offerte !"
        #expect(sanitize(text) == text)
        #expect(sanitize("") == "")
    }

    @Test func keepsLoneAngleBracketsAsText() {
        #expect(sanitize("a <") == "a &lt;")
        #expect(sanitize("a </") == "a &lt;/")
        #expect(sanitize("I <3 it") == "I &lt;3 it")
    }

    @Test func decodesAndReencodesEntities() {
        #expect(
            sanitize("Cr&egrave;me &eacute;t&eacute; &copy 2024 &amp; &unknown; &#x1F484; &#128139;")
                == "Crème été © 2024 &amp; &amp;unknown; 💄 💋")
    }

    @Test func replacesInvalidCodePoints() {
        #expect(sanitize("&#0;&#x110000;&#xD800;&#99999999999;") == String(repeating: "\u{FFFD}", count: 4))
    }

    // MARK: Structure

    @Test func stripsUnknownTagsButKeepsTheirText() {
        #expect(sanitize(#"<div class="x">Hello <font color=red>world</font></div>"#) == "Hello world")
    }

    @Test func stripsAttributesOfAllowedTags() {
        #expect(sanitize("<P CLASS=intro id='x' hidden>Texte</p >") == "<p>Texte</p>")
    }

    @Test func dropsCommentsAndDoctype() {
        #expect(sanitize("<!DOCTYPE html><!-- note --><h2>Titre</h2><!---->") == "<h2>Titre</h2>")
        #expect(sanitize("avant<!-- jamais fermé <p>x</p>") == "avant")
    }

    @Test func closesTagsLeftOpen() {
        #expect(sanitize("<p><strong>Tenue <em>12 h") == "<p><strong>Tenue <em>12 h</em></strong></p>")
    }

    @Test func dropsCloseTagsWithoutOpener() {
        #expect(sanitize("</p>Texte</strong></ul>") == "Texte")
    }

    @Test func closesMisnestedTagsInOrder() {
        #expect(sanitize("<b><i>x</b>y</i>") == "<b><i>x</i></b>y")
    }

    @Test func writesBrAsVoidTag() {
        #expect(sanitize(#"Ligne 1<br/>Ligne 2<BR>Ligne 3</br><br class="x">"#) == "Ligne 1<br>Ligne 2<br>Ligne 3<br>")
    }

    @Test func closesParagraphsAndListItemsLikeBrowsers() {
        #expect(sanitize("<p>Intro<ul><li>Un<li>Deux</ul>") == "<p>Intro</p><ul><li>Un</li><li>Deux</li></ul>")
        #expect(sanitize("<ul><li>A<ul><li>B</li></ul></li></ul>") == "<ul><li>A<ul><li>B</li></ul></li></ul>")
    }

    @Test func capsNestingDepth() {
        let output = sanitize(String(repeating: "<b>", count: 10_000) + "x")
        #expect(output.components(separatedBy: "<b>").count - 1 == 64)
        #expect(output.components(separatedBy: "</b>").count - 1 == 64)
        #expect(output.contains("x"))
    }

    @Test func staysFastOnPathologicalInput() {
        let inputs = [
            String(repeating: "<!--", count: 50_000), String(repeating: "<a href='", count: 50_000),
            "<script>" + String(repeating: "</scrip", count: 50_000), String(repeating: "&#x", count: 50_000),
            String(repeating: "<p", count: 50_000), String(repeating: "<b></i>", count: 50_000),
            String(repeating: "<a x=1 ", count: 50_000) + ">", String(repeating: "&amp", count: 50_000),
        ]
        let elapsed = ContinuousClock().measure {
            for input in inputs { expectSafe(sanitize(input)) }
        }
        #expect(elapsed < .seconds(10))
    }
}

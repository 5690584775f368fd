import Foundation

/// Cleans untrusted HTML down to a small allow-list of formatting tags.
///
/// Disallowed tags are removed but their text is kept, except for containers such as `script`,
/// `style` or `svg`, which are removed with their content. Entities are decoded and text is
/// re-escaped; the only attributes kept are `href` (http, https, mailto, `/path` or `#anchor`)
/// and `title` on `a`, and every link gets `rel="nofollow noopener"`. The output is always
/// balanced. One pass over the input, linear time.
public enum HTMLSanitizer {
    /// Returns a well-formed HTML fragment made only of allow-listed tags, safe links and escaped text.
    /// - Parameter html: untrusted HTML, e.g. a product description imported from Shopify.
    public static func sanitize(_ html: String) -> String {
        var sanitizer = Sanitizer(input: Array(html.unicodeScalars))
        sanitizer.run()
        return sanitizer.output
    }
}

private let allowedTags: Set<String> = [
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "span",
    "sub", "sup",
]
private let droppedWithContent: Set<String> = [
    "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript", "textarea", "title", "xmp",
    "noembed", "noframes", "plaintext",
]
// Browsers close an open <p> when one of these starts; mirroring that keeps the output's tree what it looks like.
private let closesParagraph: Set<String> = ["p", "ul", "ol", "h2", "h3", "h4", "blockquote"]
private let allowedSchemes: Set<String> = ["http", "https", "mailto"]
// Bounds the open-element stack, so every scan of it is O(1) and the whole pass stays linear.
private let maxDepth = 64
// Named references that browsers also decode without the trailing `;`.
private let legacyEntities: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"]
private let namedEntities: [String: Unicode.Scalar] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "Tab": "\t", "NewLine": "\n",
    "colon": ":", "semi": ";", "comma": ",", "period": ".", "excl": "!", "quest": "?", "num": "#", "dollar": "$",
    "percnt": "%", "lpar": "(", "rpar": ")", "ast": "*", "plus": "+", "equals": "=", "sol": "/", "bsol": "\\",
    "lowbar": "_", "grave": "`", "lsqb": "[", "rsqb": "]", "lcub": "{", "rcub": "}", "verbar": "|", "Hat": "^",
    "commat": "@", "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "hellip": "\u{2026}", "mdash": "\u{2014}",
    "ndash": "\u{2013}", "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}",
    "rdquo": "\u{201D}", "bdquo": "\u{201E}", "laquo": "\u{AB}", "raquo": "\u{BB}", "middot": "\u{B7}",
    "bull": "\u{2022}", "deg": "\u{B0}", "times": "\u{D7}", "divide": "\u{F7}", "euro": "\u{20AC}", "pound": "\u{A3}",
    "yen": "\u{A5}", "cent": "\u{A2}", "sect": "\u{A7}", "para": "\u{B6}", "micro": "\u{B5}", "thinsp": "\u{2009}",
    "ensp": "\u{2002}", "emsp": "\u{2003}", "shy": "\u{AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
    "agrave": "\u{E0}", "aacute": "\u{E1}", "acirc": "\u{E2}", "auml": "\u{E4}", "aelig": "\u{E6}", "ccedil": "\u{E7}",
    "egrave": "\u{E8}", "eacute": "\u{E9}", "ecirc": "\u{EA}", "euml": "\u{EB}", "icirc": "\u{EE}", "iuml": "\u{EF}",
    "ntilde": "\u{F1}", "ocirc": "\u{F4}", "ouml": "\u{F6}", "ugrave": "\u{F9}", "ucirc": "\u{FB}", "uuml": "\u{FC}",
    "yuml": "\u{FF}", "szlig": "\u{DF}", "oelig": "\u{153}", "Agrave": "\u{C0}", "Acirc": "\u{C2}",
    "Ccedil": "\u{C7}", "Egrave": "\u{C8}", "Eacute": "\u{C9}", "Ecirc": "\u{CA}", "Ocirc": "\u{D4}",
    "OElig": "\u{152}",
]

/// One left-to-right pass: `pos` only moves forward, and each scan from it is bounded by a constant pattern.
private struct Sanitizer {
    let input: [Unicode.Scalar]
    var pos = 0
    var output = ""
    var stack: [String] = []

    mutating func run() {
        var textStart = 0
        while pos < input.count {
            guard input[pos] == "<" else {
                pos += 1
                continue
            }
            let start = pos
            appendText(textStart..<start)
            if consumeMarkup() {
                textStart = pos
            } else {
                textStart = start
                pos = start + 1
            }
        }
        appendText(textStart..<input.count)
        close(downTo: 0)
    }

    // MARK: Tokenizer

    /// Consumes the markup starting at `pos` (a `<`); returns false when that `<` is plain text.
    mutating func consumeMarkup() -> Bool {
        guard let next = scalar(at: pos + 1) else { return false }
        if next == "!" {
            // `<!-->` and `<!--->` are complete comments for browsers, hence the search from `pos + 2`.
            if matches("<!--".unicodeScalars, at: pos) {
                skip(past: "-->", from: pos + 2)
            } else if matches("<![CDATA[".unicodeScalars, at: pos) {
                skip(past: "]]>", from: pos + 9)
            } else {
                skip(past: ">", from: pos + 2)
            }
        } else if next == "?" {
            skip(past: ">", from: pos + 2)
        } else if next == "/" {
            guard let first = scalar(at: pos + 2) else { return false }
            if first.isASCIILetter {
                consumeTag(nameStart: pos + 2, isEnd: true)
            } else {
                skip(past: ">", from: pos + 2)
            }
        } else if next.isASCIILetter {
            consumeTag(nameStart: pos + 1, isEnd: false)
        } else {
            return false
        }
        return true
    }

    /// Parses a tag the way browsers do (quotes, bare values, `/` separators) and hands it on.
    /// A tag still open at the end of the input is dropped together with the rest of the input.
    mutating func consumeTag(nameStart: Int, isEnd: Bool) {
        var i = nameStart
        var name = ""
        while i < input.count, !input[i].isHTMLSpace, input[i] != "/", input[i] != ">" {
            name.unicodeScalars.append(input[i].asciiLowercased)
            i += 1
        }
        let keepsAttributes = !isEnd && name == "a"
        var attributes: [String: [Unicode.Scalar]] = [:]
        while true {
            while i < input.count, input[i].isHTMLSpace || input[i] == "/" { i += 1 }
            guard i < input.count else {
                pos = input.count
                return
            }
            if input[i] == ">" {
                i += 1
                break
            }
            var attributeName = ""
            repeat {
                attributeName.unicodeScalars.append(input[i].asciiLowercased)
                i += 1
            } while i < input.count && !input[i].isHTMLSpace && input[i] != "/" && input[i] != ">" && input[i] != "="
            while i < input.count, input[i].isHTMLSpace { i += 1 }
            var valueRange = i..<i
            if i < input.count, input[i] == "=" {
                i += 1
                while i < input.count, input[i].isHTMLSpace { i += 1 }
                if i < input.count, input[i] == "\"" || input[i] == "'" {
                    let quote = input[i]
                    let valueStart = i + 1
                    i = valueStart
                    while i < input.count, input[i] != quote { i += 1 }
                    valueRange = valueStart..<i
                    // An unterminated quote leaves `i` at the end, where the loop drops the unclosed tag.
                    if i < input.count { i += 1 }
                } else {
                    let valueStart = i
                    while i < input.count, !input[i].isHTMLSpace, input[i] != ">" { i += 1 }
                    valueRange = valueStart..<i
                }
            }
            // Browsers keep the first of duplicated attributes.
            if keepsAttributes, attributeName == "href" || attributeName == "title", attributes[attributeName] == nil {
                attributes[attributeName] = decoded(valueRange)
            }
        }
        pos = i
        if isEnd {
            closeTag(name)
        } else {
            openTag(name, attributes: attributes)
        }
    }

    /// Moves `pos` to the `</name` that ends a dropped container, or to the end of the input.
    mutating func skipContent(of name: String) {
        pos =
            find("</" + name, from: pos) { $0.map { $0.isHTMLSpace || $0 == "/" || $0 == ">" } ?? true } ?? input.count
    }

    mutating func skip(past pattern: String, from start: Int) {
        pos = find(pattern, from: start).map { $0 + pattern.unicodeScalars.count } ?? input.count
    }

    /// Index of the next case-insensitive `pattern` from `start` whose following scalar satisfies `isBoundary`.
    func find(_ pattern: String, from start: Int, isBoundary: (Unicode.Scalar?) -> Bool = { _ in true }) -> Int? {
        let pattern = Array(pattern.unicodeScalars)
        var i = start
        while i + pattern.count <= input.count {
            if matches(pattern, at: i), isBoundary(scalar(at: i + pattern.count)) { return i }
            i += 1
        }
        return nil
    }

    func matches(_ pattern: some Collection<Unicode.Scalar>, at index: Int) -> Bool {
        guard index + pattern.count <= input.count else { return false }
        for (offset, expected) in pattern.enumerated()
        where input[index + offset].asciiLowercased != expected.asciiLowercased {
            return false
        }
        return true
    }

    func scalar(at index: Int) -> Unicode.Scalar? {
        index < input.count ? input[index] : nil
    }

    // MARK: Tree

    mutating func openTag(_ name: String, attributes: [String: [Unicode.Scalar]]) {
        if droppedWithContent.contains(name) {
            skipContent(of: name)
            return
        }
        guard allowedTags.contains(name) else { return }
        if name == "br" {
            output += "<br>"
            return
        }
        if name == "li", let index = stack.lastIndex(of: "li"),
            !stack[index...].contains(where: { $0 == "ul" || $0 == "ol" })
        {
            close(downTo: index)
        } else if closesParagraph.contains(name), let index = stack.lastIndex(of: "p") {
            close(downTo: index)
        }
        guard stack.count < maxDepth else { return }
        output += "<" + name
        if name == "a" {
            if let href = attributes["href"].flatMap(safeHref) {
                output += " href=\""
                appendEscaped(href, inAttribute: true)
                output += "\""
            }
            if let title = attributes["title"] {
                output += " title=\""
                appendEscaped(title, inAttribute: true)
                output += "\""
            }
            output += " rel=\"nofollow noopener\""
        }
        output += ">"
        stack.append(name)
    }

    /// Closes `name` and anything opened inside it; a close tag with no matching opener is dropped.
    mutating func closeTag(_ name: String) {
        guard allowedTags.contains(name), let index = stack.lastIndex(of: name) else { return }
        close(downTo: index)
    }

    mutating func close(downTo index: Int) {
        while stack.count > index { output += "</" + stack.removeLast() + ">" }
    }

    // MARK: Text and attributes

    mutating func appendText(_ range: Range<Int>) {
        if !range.isEmpty { appendEscaped(decoded(range), inAttribute: false) }
    }

    mutating func appendEscaped(_ scalars: [Unicode.Scalar], inAttribute: Bool) {
        for scalar in scalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where inAttribute: output += "&quot;"
            case "\u{A0}": output += "&nbsp;"
            case "\0": break
            default: output.unicodeScalars.append(scalar)
            }
        }
    }

    func decoded(_ range: Range<Int>) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            if input[i] == "&", let (scalar, next) = entity(at: i, end: range.upperBound) {
                result.append(scalar)
                i = next
            } else {
                result.append(input[i])
                i += 1
            }
        }
        return result
    }

    /// Decodes the character reference at `start` (an `&`): named, `&#106;` or `&#x6A;`, `;` optional for numbers.
    func entity(at start: Int, end: Int) -> (Unicode.Scalar, Int)? {
        var i = start + 1
        if i < end, input[i] == "#" {
            i += 1
            var radix: UInt32 = 10
            if i < end, input[i] == "x" || input[i] == "X" {
                radix = 16
                i += 1
            }
            let digitsStart = i
            var value: UInt32 = 0
            while i < end, let digit = input[i].digitValue(radix: radix) {
                // Clamped just past the Unicode range, so overflow is impossible and the result becomes U+FFFD.
                value = min(value * radix + digit, 0x11_0000)
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < end, input[i] == ";" { i += 1 }
            return ((value == 0 ? nil : Unicode.Scalar(value)) ?? "\u{FFFD}", i)
        }
        let nameStart = i
        while i < end, i - nameStart < 32, input[i].isASCIILetter || input[i].digitValue(radix: 10) != nil { i += 1 }
        let name = String(String.UnicodeScalarView(input[nameStart..<i]))
        if i < end, input[i] == ";", let scalar = namedEntities[name] { return (scalar, i + 1) }
        if legacyEntities.contains(name), let scalar = namedEntities[name] { return (scalar, i) }
        return nil
    }
}

/// Keeps http, https and mailto URLs, `/path` and `#anchor`; returns the value without ASCII whitespace or controls,
/// which browsers ignore inside schemes (`jav&#x09;ascript:`).
private func safeHref(_ raw: [Unicode.Scalar]) -> [Unicode.Scalar]? {
    let url = raw.filter { $0.value > 0x20 && $0.value != 0x7F }
    guard let first = url.first else { return nil }
    if first == "#" { return url }
    // `//host` and `/\host` leave the site.
    if first == "/" { return url.count > 1 && (url[1] == "/" || url[1] == "\\") ? nil : url }
    guard let colon = url.firstIndex(of: ":") else { return nil }
    let scheme = String(String.UnicodeScalarView(url[..<colon].map(\.asciiLowercased)))
    return allowedSchemes.contains(scheme) ? url : nil
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }

    fileprivate var isHTMLSpace: Bool {
        value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0C || value == 0x0D
    }

    fileprivate var asciiLowercased: Unicode.Scalar {
        (0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value) | 0x20) : self
    }

    fileprivate func digitValue(radix: UInt32) -> UInt32? {
        switch value {
        case 0x30...0x39: value - 0x30
        case 0x41...0x46 where radix == 16: value - 0x41 + 10
        case 0x61...0x66 where radix == 16: value - 0x61 + 10
        default: nil
        }
    }
}

import Foundation

/// A whole-file problem: nothing can be imported.
/// `message` is written for the brand's e-commerce person and does not repeat `line`.
public struct CSVFileError: Error, Equatable, Sendable {
    public var message: String
    public var line: Int?

    public init(message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }
}

/// One CSV record: its fields, and the physical line (1-based) where it starts.
public struct CSVRecord: Equatable, Sendable {
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// An RFC 4180 reader: quoted fields with commas, doubled quotes and line breaks; CRLF, LF or CR
/// line ends; an optional UTF-8 byte order mark; an optional final line break.
/// Empty lines are skipped; a quote inside an unquoted field is kept as text.
public enum CSVReader {
    public static let maxRecords = 100_000
    public static let maxFieldBytes = 64 * 1024

    /// Reads every record of `data`, which must be UTF-8.
    /// Throws for an empty file, another encoding, an unterminated quote, or a limit exceeded.
    public static func read(
        _ data: [UInt8], maxRecords: Int = CSVReader.maxRecords, maxFieldBytes: Int = CSVReader.maxFieldBytes
    ) throws(CSVFileError) -> [CSVRecord] {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        try checkEncoding(bytes)

        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1, fieldLine = 1
        var inQuotes = false, fieldWasQuoted = false
        var index = bytes.startIndex

        func tooLong() -> CSVFileError {
            CSVFileError(
                message: "a field starting on this line is longer than \(maxFieldBytes / 1024) KiB"
                    + (fieldWasQuoted ? " (is a closing '\"' missing?)" : ""), line: fieldLine)
        }
        func endRecord() throws(CSVFileError) {
            fields.append(String(decoding: field, as: UTF8.self))
            // A line with nothing on it is not a record; `""` alone is one empty field.
            if fields.count > 1 || !field.isEmpty || fieldWasQuoted {
                guard records.count < maxRecords else {
                    throw CSVFileError(
                        message: "the file has more than \(grouped(maxRecords)) rows; split it into smaller files",
                        line: recordLine)
                }
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        while index < bytes.endIndex {
            let byte = bytes[index]
            let next = bytes.index(after: index) < bytes.endIndex ? bytes[bytes.index(after: index)] : nil
            index += 1
            if inQuotes {
                if byte == quote {
                    if next == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                    continue
                }
                if byte == lf || (byte == cr && next != lf) { line += 1 }
                field.append(byte)
                guard field.count <= maxFieldBytes else { throw tooLong() }
                continue
            }
            switch byte {
            case comma:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
                fieldLine = line
            case cr, lf:
                if byte == cr && next == lf { index += 1 }
                try endRecord()
                line += 1
                recordLine = line
                fieldLine = line
            case quote where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            default:
                field.append(byte)
                guard field.count <= maxFieldBytes else { throw tooLong() }
            }
        }
        if inQuotes {
            throw CSVFileError(
                message: "a quoted field starting on this line is never closed (a closing '\"' is missing)",
                line: fieldLine)
        }
        if !fields.isEmpty || !field.isEmpty || fieldWasQuoted { try endRecord() }
        guard !records.isEmpty else { throw CSVFileError(message: "the file is empty") }
        return records
    }

    /// Rejects what is not UTF-8 text, saying what the file probably is.
    static func checkEncoding(_ bytes: ArraySlice<UInt8>) throws(CSVFileError) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw CSVFileError(message: "the file is UTF-16; export it again as UTF-8")
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw CSVFileError(message: "the file is a spreadsheet (such as .xlsx), not a CSV; export it as CSV UTF-8")
        }
        if let offset = bytes.firstIndex(of: 0) {
            throw CSVFileError(
                message:
                    "the file contains NUL bytes (it looks like UTF-16 or a binary file); export it again as UTF-8 CSV",
                line: lineNumber(of: offset, in: bytes))
        }
        if let offset = firstInvalidUTF8(bytes) {
            throw CSVFileError(
                message: "the file is not UTF-8; export it again as UTF-8 (it looks like Windows-1252/Latin-1)",
                line: lineNumber(of: offset, in: bytes))
        }
    }

    /// The index of the first byte that does not start a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xE1...0xEF: length = 3
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF1...0xF3: length = 4
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            default: return index
            }
            guard index + length <= bytes.endIndex, second.contains(bytes[index + 1]),
                bytes[(index + 2)..<(index + length)].allSatisfy({ (0x80...0xBF).contains($0) })
            else { return index }
            index += length
        }
        return nil
    }

    /// Counts line ends the way `read` does: LF, CRLF, or a lone CR.
    static func lineNumber(of offset: Int, in bytes: ArraySlice<UInt8>) -> Int {
        var line = 1
        for index in bytes.startIndex..<offset {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && bytes[index + 1] != UInt8(ascii: "\n")) {
                line += 1
            }
        }
        return line
    }

    /// `100000` → `100,000`.
    static func grouped(_ number: Int) -> String {
        var digits = String(number)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return digits + out
    }
}

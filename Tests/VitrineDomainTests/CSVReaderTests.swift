import Foundation
import Testing

@testable import VitrineDomain

@Suite struct CSVReaderTests {
    func read(_ text: String) throws -> [CSVRecord] {
        try CSVReader.read(Array(text.utf8))
    }

    func error(_ bytes: [UInt8], maxRecords: Int = CSVReader.maxRecords, maxFieldBytes: Int = CSVReader.maxFieldBytes)
        -> CSVFileError?
    {
        do {
            _ = try CSVReader.read(bytes, maxRecords: maxRecords, maxFieldBytes: maxFieldBytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsPlainRecords() throws {
        let records = try read("a,b,c\n1,,3\n")
        #expect(records == [CSVRecord(line: 1, fields: ["a", "b", "c"]), CSVRecord(line: 2, fields: ["1", "", "3"])])
    }

    @Test func readsQuotedCommasAndDoubledQuotes() throws {
        let records = try read("name,alt\n\"Rouge, mat\",\"le \"\"Velours\"\"\"\n\"\",x\n")
        #expect(records[1].fields == ["Rouge, mat", "le \"Velours\""])
        #expect(records[2].fields == ["", "x"])
    }

    @Test func quotedNewlineKeepsPhysicalLineNumbers() throws {
        let records = try read("h,body\na,\"line one\nline two\n\nline four\"\nb,after\n")
        #expect(records.map(\.line) == [1, 2, 6])
        #expect(records[1].fields[1] == "line one\nline two\n\nline four")
        #expect(records[2].fields == ["b", "after"])
    }

    @Test func readsCRLFAndCROnlyLineEnds() throws {
        let crlf = try read("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n")
        #expect(crlf.map(\.fields) == [["a", "b"], ["1", "x\r\ny"], ["2", "z"]])
        #expect(crlf.map(\.line) == [1, 2, 4])
        let cr = try read("a,b\r1,2\r")
        #expect(cr.map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func stripsByteOrderMarkAndAcceptsMissingFinalNewline() throws {
        let records = try CSVReader.read([0xEF, 0xBB, 0xBF] + Array("Handle,Title\nx,\"Y\"".utf8))
        #expect(records[0].fields == ["Handle", "Title"])
        #expect(records[1].fields == ["x", "Y"])
    }

    @Test func skipsEmptyLinesButKeepsEmptyQuotedField() throws {
        let records = try read("a\n\n\"\"\n\r\nb\n\n")
        #expect(
            records == [
                CSVRecord(line: 1, fields: ["a"]), CSVRecord(line: 3, fields: [""]), CSVRecord(line: 5, fields: ["b"]),
            ])
    }

    @Test func keepsStrayQuoteInsideUnquotedField() throws {
        #expect(try read("size\n5\" tall\n")[1].fields == ["5\" tall"])
    }

    @Test func reportsUnterminatedQuoteAtItsLine() {
        let failure = error(Array("a,b\n1,2\n3,\"never closed\n4,5\n".utf8))
        #expect(failure?.line == 3)
        #expect(failure?.message.contains("never closed") == true)
    }

    @Test func rejectsLatin1WithLineOfFirstBadByte() {
        // "Crème" in Windows-1252: è is the single byte 0xE8.
        let failure = error(Array("Handle,Title\ncreme,Cr".utf8) + [0xE8] + Array("me\n".utf8))
        #expect(
            failure
                == CSVFileError(
                    message: "the file is not UTF-8; export it again as UTF-8 (it looks like Windows-1252/Latin-1)",
                    line: 2))
    }

    @Test func rejectsOtherEncodings() {
        #expect(error([0xFF, 0xFE, 0x48, 0x00])?.message == "the file is UTF-16; export it again as UTF-8")
        #expect(error([0x50, 0x4B, 0x03, 0x04, 0x14])?.message.contains("spreadsheet") == true)
        #expect(error(Array("a\nb".utf8) + [0x00])?.line == 2)
        // Overlong encodings and UTF-16 surrogates are not UTF-8.
        #expect(error([0x61, 0xC0, 0xAF])?.line == 1)
        #expect(error([0xED, 0xA0, 0x80])?.line == 1)
        #expect(error(Array("ok é € 😀".utf8)) == nil)
    }

    @Test func rejectsEmptyFile() {
        #expect(error([])?.message == "the file is empty")
        #expect(error([0xEF, 0xBB, 0xBF, 0x0A, 0x0A])?.message == "the file is empty")
    }

    @Test func readsSemicolonHeaderAsOneFieldForTheImporterToDiagnose() throws {
        let records = try read("Handle;Title;Variant Price\nrouge;Rouge;24,90\n")
        #expect(records[0].fields == ["Handle;Title;Variant Price"])
        #expect(records[1].fields == ["rouge;Rouge;24", "90"])
    }

    @Test func enforcesRecordLimit() {
        let failure = error(Array("a\nb\nc\nd\n".utf8), maxRecords: 3)
        #expect(failure?.line == 4)
        #expect(failure?.message.contains("more than 3 rows") == true)
        #expect(error(Array("a\nb\nc\n".utf8), maxRecords: 3) == nil)
    }

    @Test func enforcesFieldSizeLimit() {
        let big = String(repeating: "x", count: 65)
        let plain = error(Array("a,b\n1,\(big)\n".utf8), maxFieldBytes: 64)
        #expect(plain?.line == 2)
        let quoted = error(Array("a,b\n1,2\n3,\"\n\(big)\n".utf8), maxFieldBytes: 64)
        #expect(quoted?.line == 3)
        #expect(quoted?.message.contains("closing") == true)
        #expect(error(Array("a\n\(String(repeating: "x", count: 64))\n".utf8), maxFieldBytes: 64) == nil)
    }

    @Test func defaultLimitsAre100kRecordsAnd64KiB() {
        #expect(CSVReader.maxRecords == 100_000)
        #expect(CSVReader.maxFieldBytes == 65_536)
        #expect(CSVReader.grouped(100_000) == "100,000")
        let huge = String(repeating: "x", count: 65_537)
        #expect(error(Array("Handle\n\(huge)\n".utf8))?.line == 2)
    }
}

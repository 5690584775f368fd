import NIOCore

/// An AMF0 value, as RTMP commands carry them (connect, createStream, publish, onStatus…).
public enum AMF0Value: Equatable, Sendable {
    case number(Double)
    case boolean(Bool)
    case string(String)
    case object([AMF0Property])
    case null
    case undefined
    case ecmaArray([AMF0Property])
    case strictArray([AMF0Value])
    case date(Double)

    public var string: String? { if case .string(let text) = self { text } else { nil } }
    public var number: Double? { if case .number(let value) = self { value } else { nil } }
    /// A property of an object or ECMA array.
    public subscript(key: String) -> AMF0Value? {
        switch self {
        case .object(let properties), .ecmaArray(let properties): properties.first { $0.key == key }?.value
        default: nil
        }
    }
}

public struct AMF0Property: Equatable, Sendable {
    public var key: String
    public var value: AMF0Value
    public init(_ key: String, _ value: AMF0Value) {
        self.key = key
        self.value = value
    }
}

/// A malformed RTMP stream: the connection is closed with this reason (never with the stream key).
public struct RTMPError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// AMF0 (Action Message Format 0), the encoding of RTMP command messages.
public enum AMF0 {
    /// Nesting beyond this is refused: a few bytes must not make the parser recurse without end.
    static let maxDepth = 16
    static let maxItems = 10_000

    /// Every value of a command message body.
    public static func decodeAll(_ buffer: ByteBuffer) throws(RTMPError) -> [AMF0Value] {
        var buffer = buffer
        var values: [AMF0Value] = []
        while buffer.readableBytes > 0 {
            values.append(try decode(&buffer, depth: 0))
            guard values.count <= maxItems else { throw RTMPError("AMF0: too many values") }
        }
        return values
    }

    public static func decode(_ buffer: inout ByteBuffer, depth: Int = 0) throws(RTMPError) -> AMF0Value {
        guard depth <= maxDepth else { throw RTMPError("AMF0: nested too deep") }
        guard let marker = buffer.readInteger(as: UInt8.self) else { throw RTMPError("AMF0: truncated value") }
        switch marker {
        case 0x00:
            guard let bits = buffer.readInteger(as: UInt64.self) else { throw RTMPError("AMF0: truncated number") }
            return .number(Double(bitPattern: bits))
        case 0x01:
            guard let byte = buffer.readInteger(as: UInt8.self) else { throw RTMPError("AMF0: truncated boolean") }
            return .boolean(byte != 0)
        case 0x02: return .string(try shortString(&buffer))
        case 0x03: return .object(try properties(&buffer, depth: depth))
        case 0x05: return .null
        case 0x06: return .undefined
        case 0x08:
            guard buffer.readInteger(as: UInt32.self) != nil else { throw RTMPError("AMF0: truncated ECMA array") }
            return .ecmaArray(try properties(&buffer, depth: depth))
        case 0x0A:
            guard let count = buffer.readInteger(as: UInt32.self) else { throw RTMPError("AMF0: truncated array") }
            guard count <= maxItems, Int(count) <= buffer.readableBytes else {
                throw RTMPError("AMF0: array of \(count) values cannot fit")
            }
            var values: [AMF0Value] = []
            for _ in 0..<count { values.append(try decode(&buffer, depth: depth + 1)) }
            return .strictArray(values)
        case 0x0B:
            guard let bits = buffer.readInteger(as: UInt64.self), buffer.readInteger(as: Int16.self) != nil else {
                throw RTMPError("AMF0: truncated date")
            }
            return .date(Double(bitPattern: bits))
        case 0x0C:
            guard let length = buffer.readInteger(as: UInt32.self), length <= buffer.readableBytes,
                let text = buffer.readString(length: Int(length))
            else { throw RTMPError("AMF0: truncated long string") }
            return .string(text)
        default:
            throw RTMPError("AMF0: unsupported type 0x\(String(marker, radix: 16))")
        }
    }

    static func shortString(_ buffer: inout ByteBuffer) throws(RTMPError) -> String {
        guard let length = buffer.readInteger(as: UInt16.self), let text = buffer.readString(length: Int(length)) else {
            throw RTMPError("AMF0: truncated string")
        }
        return text
    }

    static func properties(_ buffer: inout ByteBuffer, depth: Int) throws(RTMPError) -> [AMF0Property] {
        var properties: [AMF0Property] = []
        while true {
            let key = try shortString(&buffer)
            if key.isEmpty, buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) == 0x09 {
                buffer.moveReaderIndex(forwardBy: 1)
                return properties
            }
            properties.append(AMF0Property(key, try decode(&buffer, depth: depth + 1)))
            guard properties.count <= maxItems else { throw RTMPError("AMF0: too many properties") }
        }
    }

    public static func encode(_ values: [AMF0Value]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for value in values { encode(value, into: &buffer) }
        return buffer
    }

    public static func encode(_ value: AMF0Value, into buffer: inout ByteBuffer) {
        switch value {
        case .number(let number):
            buffer.writeInteger(UInt8(0x00))
            buffer.writeInteger(number.bitPattern)
        case .boolean(let flag):
            buffer.writeInteger(UInt8(0x01))
            buffer.writeInteger(UInt8(flag ? 1 : 0))
        case .string(let text):
            let utf8 = Array(text.utf8)
            if utf8.count <= UInt16.max {
                buffer.writeInteger(UInt8(0x02))
                buffer.writeInteger(UInt16(utf8.count))
            } else {
                buffer.writeInteger(UInt8(0x0C))
                buffer.writeInteger(UInt32(utf8.count))
            }
            buffer.writeBytes(utf8)
        case .object(let properties):
            buffer.writeInteger(UInt8(0x03))
            writeProperties(properties, into: &buffer)
        case .null: buffer.writeInteger(UInt8(0x05))
        case .undefined: buffer.writeInteger(UInt8(0x06))
        case .ecmaArray(let properties):
            buffer.writeInteger(UInt8(0x08))
            buffer.writeInteger(UInt32(properties.count))
            writeProperties(properties, into: &buffer)
        case .strictArray(let values):
            buffer.writeInteger(UInt8(0x0A))
            buffer.writeInteger(UInt32(values.count))
            for value in values { encode(value, into: &buffer) }
        case .date(let millis):
            buffer.writeInteger(UInt8(0x0B))
            buffer.writeInteger(millis.bitPattern)
            buffer.writeInteger(Int16(0))
        }
    }

    static func writeProperties(_ properties: [AMF0Property], into buffer: inout ByteBuffer) {
        for property in properties {
            let key = Array(property.key.utf8.prefix(Int(UInt16.max)))
            buffer.writeInteger(UInt16(key.count))
            buffer.writeBytes(key)
            encode(property.value, into: &buffer)
        }
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(UInt8(0x09))
    }
}

import Foundation
import NIOPosix
import VitrineDomain

#if canImport(Glibc)
    import Glibc
#endif

/// Where Vitrine itself connects on a brand's behalf (webhook endpoints, simulcast servers): the
/// host's addresses through the system resolver, and the refusal of loopback, private and
/// reserved ones, so that a brand cannot make Vitrine reach its own machine or network.
enum OutboundAddress {
    /// Why a host name did not resolve, in the resolver's words.
    struct ResolveError: Error {
        var message: String
    }

    /// The first address of `host`, when every address it resolves to is public (or private ones are allowed).
    static func publicAddress(host: String, port: Int, allowPrivate: Bool, field: String = "url")
        async throws(DomainError)
        -> IPAddress
    {
        let addresses: [IPAddress]
        do {
            addresses = try await resolve(host: host, port: port)
        } catch {
            throw .invalid(
                field, "The host name '\(host)' does not resolve: \(error.message).", code: "unresolvable_host")
        }
        guard let first = addresses.first else {
            throw .invalid(field, "The host name '\(host)' has no address.", code: "unresolvable_host")
        }
        if !allowPrivate, let refused = addresses.first(where: { !$0.isPublic }) {
            throw .invalid(
                field,
                "'\(host)' is \(refused), a loopback, private or reserved address: only public addresses are allowed.",
                code: "private_address")
        }
        return first
    }

    /// The addresses of `host` (or the literal address it is), through the system resolver.
    static func resolve(host: String, port: Int) async throws(ResolveError) -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        let result: Result<[IPAddress], ResolveError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () -> Result<[IPAddress], ResolveError> in
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                let code = getaddrinfo(host, String(port), &hints, &list)
                guard code == 0, let first = list else {
                    return .failure(ResolveError(message: String(cString: gai_strerror(code))))
                }
                defer { freeaddrinfo(first) }
                var addresses: [IPAddress] = []
                var cursor: UnsafeMutablePointer<addrinfo>? = first
                while let info = cursor {
                    if let sockaddr = info.pointee.ai_addr {
                        if info.pointee.ai_family == AF_INET {
                            let raw = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                                $0.pointee.sin_addr
                            }
                            let bytes = withUnsafeBytes(of: raw) { Array($0) }
                            if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                        } else if info.pointee.ai_family == AF_INET6 {
                            let raw = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                                $0.pointee.sin6_addr
                            }
                            let bytes = withUnsafeBytes(of: raw) { Array($0) }
                            if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                        }
                    }
                    cursor = info.pointee.ai_next
                }
                return .success(addresses)
            }
        } catch {
            throw ResolveError(message: "the resolver is not available")
        }
        return try result.get()
    }
}

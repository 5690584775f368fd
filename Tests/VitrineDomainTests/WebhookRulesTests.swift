import Testing

@testable import VitrineDomain

@Suite struct WebhookRulesTests {
    @Test(arguments: [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.7", "::1", "::",
        "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "64:ff9b::a00:1", "2002:c0a8:101::1", "2001:db8::1", "[::1]",
    ])
    func privateLoopbackAndReservedAddressesAreNotPublic(text: String) throws {
        let address = try #require(IPAddress(text), "\(text) parses")
        #expect(!address.isPublic, "\(text)")
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func publicAddressesArePublic(text: String) throws {
        let address = try #require(IPAddress(text), "\(text) parses")
        #expect(address.isPublic, "\(text)")
    }

    @Test func parsingIsStrictAndRoundTrips() {
        for bad in ["256.1.1.1", "1.2.3", "1.2.3.4.5", "01234.1.1.1", "a.b.c.d", "1::2::3", "12345::1", "", "host"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        #expect(IPAddress("2001:db8::1")?.bytes == [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1])
        #expect(IPAddress("::ffff:192.0.2.1")?.bytes.suffix(6) == [0xff, 0xff, 192, 0, 2, 1])
        #expect(IPAddress("192.0.2.1")?.description == "192.0.2.1")
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8:0:0:0:0:0:1")
    }

    static let blank = WebhookEndpoint(
        id: .init(), url: "", description: "", events: [], enabled: true, secretHint: "", createdAt: .now,
        updatedAt: .now)

    @Test func anEndpointNeedsAnHTTPURLAndEvents() throws {
        func field(_ input: WebhookEndpointInput) -> String? {
            do {
                _ = try WebhookRules.apply(input, to: Self.blank, isNew: true)
                return nil
            } catch { return error.field }
        }
        #expect(field(.init(events: [.showLive])) == "url")
        #expect(field(.init(url: "https://shop.example/hooks")) == "events")
        #expect(field(.init(url: "ftp://shop.example/", events: [.showLive])) == "url")
        #expect(field(.init(url: "javascript:alert(1)", events: [.showLive])) == "url")
        #expect(field(.init(url: "https://user:pw@shop.example/", events: [.showLive])) == "url")
        #expect(field(.init(url: "https:///nohost", events: [.showLive])) == "url")
        #expect(field(.init(url: "https://shop.example/", events: [])) == "events")
        #expect(field(.init(url: "https://shop.example/", events: [.test])) == "events")
        #expect(
            field(.init(url: "https://shop.example/", description: "a\u{7}b", events: [.showLive])) == "description")
        let endpoint = try WebhookRules.apply(
            .init(url: " https://shop.example/hooks?k=1 ", events: [.registrationCreated, .showLive, .showLive]),
            to: Self.blank, isNew: true)
        #expect(endpoint.url == "https://shop.example/hooks?k=1")
        #expect(endpoint.events == [.showLive, .registrationCreated], "once each, in the documented order")
    }

    @Test func everyShowEventHasAWebhookEvent() {
        let names = Set(ShowEvent.allCases.map { WebhookEvent($0).rawValue })
        #expect(names.count == ShowEvent.allCases.count)
        #expect(names.allSatisfy { $0.hasPrefix("show.") })
        #expect(WebhookEvent(.replayPublished) == .showReplayPublished)
    }
}

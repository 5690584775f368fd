import Foundation
import Testing
import VitrineDomain

@Suite struct LiveRulesTests {
    @Test func chatMessagesAreTrimmedBoundedAndFreeOfInvisibleCharacters() throws {
        #expect(try ChatText.message("  bonjour 👋🏽  ", hideLinks: true) == "bonjour 👋🏽")
        #expect(try ChatText.message("famille 👨‍👩‍👧 ❤️", hideLinks: true) == "famille 👨‍👩‍👧 ❤️")
        #expect(try ChatText.message(String(repeating: "é", count: 300), hideLinks: false).count == 300)
        for (text, code) in [
            ("   ", "empty_message"), (String(repeating: "a", count: 301), "message_too_long"),
            ("abc\u{202E}def", "control_character"), ("bell\u{07}", "control_character"),
            ("zero\u{200B}width", "control_character"),
        ] {
            #expect(throws: DomainError.self) { try ChatText.message(text, hideLinks: false) }
            do { _ = try ChatText.message(text, hideLinks: false) } catch { #expect(error.code == code, "\(text)") }
        }
        #expect(try ChatText.message("deux\nlignes", hideLinks: false) == "deux\nlignes")
        #expect(throws: DomainError.self) { try ChatText.name("deux\nlignes") }
    }

    @Test func linksAreHiddenButOrdinaryWordsWithDotsAreNot() {
        #expect(ChatText.withoutLinks("voir https://x.example/p?a=1 ou www.promo.fr") == "voir [link] ou [link]")
        #expect(ChatText.withoutLinks("allez sur promo.shop/offre, vite") == "allez sur [link] vite")
        #expect(ChatText.withoutLinks("j'adore. Vraiment.Super 3.5 kg") == "j'adore. Vraiment.Super 3.5 kg")
        #expect(ChatText.withoutLinks("mail: a@b.c") == "mail: a@b.c")
    }

    @Test func blockedWordsMatchWholeWordsWithoutCaseOrAccents() throws {
        let list = ["arnaque", "pas cher du tout", "Nul"]
        #expect(ChatText.blockedWord(in: "Quelle ARNAQUÉ !", list: list) == "arnaque")
        #expect(ChatText.blockedWord(in: "c'est PAS  cher-du tout", list: list) == "pas cher du tout")
        #expect(ChatText.blockedWord(in: "nulle part ailleurs", list: list) == nil)
        #expect(ChatText.blockedWord(in: "annulé", list: list) == nil)
        #expect(throws: DomainError.self) { try ChatText.blockedWordList([String(repeating: "x", count: 61)]) }
        #expect(try ChatText.blockedWordList([" a ", "A", "", "b"]) == ["a", "b"])
    }

    @Test func theGiveawayDrawIsAFunctionOfTheSeedAndIsFair() {
        // The first SplitMix64 outputs for seed 0 are published values (Vigna's reference code).
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(GiveawayDraw.winnerIndex(seed: 42, count: 7) == GiveawayDraw.winnerIndex(seed: 42, count: 7))
        var hits = [Int](repeating: 0, count: 6)
        for seed in 0..<60_000 { hits[GiveawayDraw.winnerIndex(seed: UInt64(seed) &* 7_919, count: 6)] += 1 }
        #expect(hits.allSatisfy { (9_400...10_600).contains($0) }, "\(hits)")
        #expect(GiveawayDraw.winnerIndex(seed: 12345, count: 1) == 0)
    }

    @Test func aTokenBucketAllowsABurstThenRefills() {
        var bucket = TokenBucket(perSecond: 0.5, burst: 3, now: 100)
        #expect((0..<3).map { _ in bucket.take(now: 100) } == [nil, nil, nil])
        let wait = bucket.take(now: 100)
        #expect(wait == 2)
        #expect(bucket.take(now: 101) != nil)
        #expect(bucket.take(now: 102.01) == nil)
        #expect(!bucket.isIdle(now: 102.01) && bucket.isIdle(now: 110))
    }

    @Test func pollsAndGiveawaysAreChecked() throws {
        #expect(throws: DomainError.self) { try LiveRules.poll(question: "Taille ?", options: ["S"]) }
        #expect(throws: DomainError.self) { try LiveRules.poll(question: "Taille ?", options: ["S", "S"]) }
        #expect(throws: DomainError.self) { try LiveRules.poll(question: "", options: ["S", "M"]) }
        #expect(try LiveRules.poll(question: " Taille ? ", options: ["S", " M "]) == ("Taille ?", ["S", "M"]))
        #expect(throws: DomainError.self) { try LiveRules.giveaway(title: "Foulard", rules: nil) }
        #expect(try LiveRules.timeout(nil) == 300)
        #expect(throws: DomainError.self) { try LiveRules.slowMode(301) }
    }

    @Test func csvCellsNeverRunAsFormulas() {
        #expect(
            CSVWriter.line(["=SUM(A1)", "+33 6", "-1", "@x", "ok", "a,b", "dit \"oui\""])
                == "'=SUM(A1),'+33 6,'-1,'@x,ok,\"a,b\",\"dit \"\"oui\"\"\"\r\n")
    }

    @Test func emailsAreMaskedForEveryone() {
        #expect("lea@example.com".maskedEmail == "l•••@example.com")
        #expect("nobody".maskedEmail == "•••")
    }
}

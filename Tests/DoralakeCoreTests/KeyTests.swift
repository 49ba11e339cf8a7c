import DoralakeCore
import Testing

/// Spec §2.3: API keys are 128 random characters from [A-Za-z0-9]; only their
/// HMAC-SHA256 hex is stored; comparisons are constant-time.
struct KeyTests {
    static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    @Test("a generated key has 128 characters from [A-Za-z0-9]")
    func keyShape() {
        let key = APIKeyGenerator.generate()
        #expect(APIKeyGenerator.keyLength == 128)
        #expect(key.count == 128)
        #expect(key.allSatisfy { Self.alphabet.contains($0) })
    }

    @Test("an admin token has 64 characters from [A-Za-z0-9]")
    func adminTokenShape() {
        let token = APIKeyGenerator.generate(length: APIKeyGenerator.adminTokenLength)
        #expect(token.count == 64)
        #expect(token.allSatisfy { Self.alphabet.contains($0) })
    }

    @Test("two generated keys differ")
    func keysDiffer() {
        #expect(APIKeyGenerator.generate() != APIKeyGenerator.generate())
    }

    @Test("many keys together use the whole alphabet")
    func wholeAlphabetUsed() {
        // 40 keys × 128 characters: the chance that one of 62 characters never appears is below 1e-30
        let characters = Set((0..<40).flatMap { _ in APIKeyGenerator.generate() })
        #expect(characters == Self.alphabet)
    }

    /// Replays fixed bytes as the random source.
    struct ReplayGenerator: RandomNumberGenerator {
        var bytes: [UInt8]
        var position = 0
        mutating func next() -> UInt64 {
            defer { position += 1 }
            return UInt64(bytes[position % bytes.count])
        }
    }

    @Test("bytes of 248 and above are rejected, so no character is favoured (no modulo bias)")
    func rejectionSampling() {
        // Given random bytes where 248…255 would otherwise map to A…H a second time
        var generator = ReplayGenerator(bytes: [248, 255, 0, 61, 62, 247, 250, 25])
        // When five characters are drawn
        let key = APIKeyGenerator.generate(length: 5, using: &generator)
        // Then the rejected bytes are skipped: 0→A, 61→9, 62→A, 247→9, 25→Z
        #expect(key == "A9A9Z")
    }

    // MARK: Hashing

    @Test("the stored hash is lowercase hex HMAC-SHA256 (RFC 4231 test case 2)")
    func hmacKnownVector() {
        #expect(
            KeyHasher(secret: "Jefe").hash("what do ya want for nothing?")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("the hash is 64 lowercase hex characters and stable for the same secret")
    func hashShapeAndStability() {
        let key = APIKeyGenerator.generate()
        let hash = KeyHasher(secret: "s3cret").hash(key)
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(KeyHasher(secret: "s3cret").hash(key) == hash)
    }

    @Test("the hash differs with another secret or another key")
    func hashDependsOnSecretAndKey() {
        let key = APIKeyGenerator.generate()
        #expect(KeyHasher(secret: "one").hash(key) != KeyHasher(secret: "two").hash(key))
        #expect(KeyHasher(secret: "one").hash(key) != KeyHasher(secret: "one").hash(key + "x"))
    }

    @Test("the hash does not contain the plaintext")
    func hashHidesPlaintext() {
        let key = "abcdef0123456789"
        #expect(!KeyHasher(secret: "s").hash(key).contains(key))
    }

    // MARK: Constant-time equality

    static let comparisons: [(lhs: String, rhs: String, equal: Bool)] = [
        ("abc", "abc", true),
        ("", "", true),
        ("abc", "abd", false),
        ("abc", "xbc", false),
        ("abc", "ab", false),
        ("ab", "abc", false),
        ("abc", "ABC", false),
        ("é", "e\u{301}", false),  // compared as bytes, not as canonically equivalent text
    ]

    @Test("constant-time equality compares exact bytes", arguments: comparisons)
    func constantTimeEquals(_ lhs: String, _ rhs: String, _ equal: Bool) {
        #expect(KeyHasher.constantTimeEquals(lhs, rhs) == equal)
    }

    @Test("a hash compares equal to itself and not to a hash of another key")
    func hashComparison() {
        let hasher = KeyHasher(secret: "s")
        #expect(KeyHasher.constantTimeEquals(hasher.hash("k1"), hasher.hash("k1")))
        #expect(!KeyHasher.constantTimeEquals(hasher.hash("k1"), hasher.hash("k2")))
    }
}

/// Generates API keys and admin tokens: characters drawn uniformly from `[A-Za-z0-9]` with the
/// system's cryptographic random generator, by rejection sampling (no modulo bias), spec §2.3.
public enum APIKeyGenerator {
    /// The length of connection and project keys.
    public static let keyLength = 128
    /// The length of a generated admin token.
    public static let adminTokenLength = 64

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A new random key of `length` characters.
    public static func generate(length: Int = keyLength) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(length: length, using: &generator)
    }

    /// A new random key drawn from `generator` (tests pass a seeded one to check the distribution logic).
    public static func generate<G: RandomNumberGenerator>(length: Int, using generator: inout G) -> String {
        // 248 = 4 × 62 is the largest multiple of 62 not above 256: bytes ≥ 248 are rejected.
        let limit = UInt8(alphabet.count * 4)
        var out: [UInt8] = []
        out.reserveCapacity(length)
        while out.count < length {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            if byte < limit { out.append(alphabet[Int(byte) % alphabet.count]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

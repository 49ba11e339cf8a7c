import Crypto

/// Hashes API keys and the admin token for storage and lookup: lowercase hex of
/// HMAC-SHA256(secret, plaintext) (spec §2.3). Plaintext keys are never stored.
public struct KeyHasher: Sendable {
    private let secret: [UInt8]

    /// - Parameter secret: `auth.keySecret`.
    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// The 64-character lowercase hex HMAC of `plaintext`.
    public func hash(_ plaintext: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(plaintext.utf8), using: SymmetricKey(data: secret)))
    }

    /// Compares two strings in time that depends only on their lengths, not on where they differ.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

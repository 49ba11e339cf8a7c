import DoralakeCore
import Testing

@Suite("RepoURL.normalize (METRICS §5.2)")
struct RepoURLTests {
    @Test(
        "Spellings of one repository normalize to the same https URL",
        arguments: [
            // The two examples of §5.2.
            ("git@github.com:acme/shop.git", "https://github.com/acme/shop"),
            ("https://GitHub.com/acme/shop/", "https://github.com/acme/shop"),
            ("  https://github.com/acme/shop \n", "https://github.com/acme/shop"),
            ("ssh://git@github.com/acme/shop.git", "https://github.com/acme/shop"),
            ("http://github.com/acme/shop", "https://github.com/acme/shop"),
            ("HTTP://GITHUB.COM/acme/shop", "https://github.com/acme/shop"),
            ("HTTPS://GitLab.Example.com/Group/Shop.git/", "https://gitlab.example.com/Group/Shop"),
        ])
    func normalizesSpellings(input: String, expected: String) {
        // Given a repository URL as sent
        // When it is normalized
        let normalized = RepoURL.normalize(input)
        // Then it is the canonical https form
        #expect(normalized == expected)
    }

    @Test("The path keeps its case: only scheme and host are lowercased")
    func keepsPathCase() {
        #expect(RepoURL.normalize("https://GITHUB.com/Acme/Shop") == "https://github.com/Acme/Shop")
    }

    @Test("Only one trailing slash is dropped")
    func dropsOneTrailingSlash() {
        #expect(RepoURL.normalize("https://github.com/acme/shop//") == "https://github.com/acme/shop/")
    }

    @Test("Text without a scheme is only trimmed and stripped of the trailing slash and .git")
    func leavesSchemelessText() {
        #expect(RepoURL.normalize(" REPO111 ") == "REPO111")
        #expect(RepoURL.normalize("acme/shop.git") == "acme/shop")
    }
}

import DoralakeCore
import Testing

/// Spec §3.1 and §4: connection names (1–100 characters) and project names (1–88).
struct NameRulesTests {
    static let valid: [String] = [
        "shop-ci", "a", "shop_deployments", "Shop CI", "équipe", "名前", "x.y:z@1",
        String(repeating: "n", count: 100),
    ]

    @Test("acceptable connection names have no problem", arguments: valid)
    func validConnectionName(_ name: String) {
        #expect(NameRules.problem(with: name, limit: NameRules.connectionNameLimit) == nil)
    }

    static let invalid: [(name: String, problem: String)] = [
        ("", "must not be empty"),
        (String(repeating: "n", count: 101), "must be at most 100 characters"),
        ("shop/ci", "must not contain \"/\""),
        ("/", "must not contain \"/\""),
        ("shop\nci", "must not contain control characters"),
        ("shop\u{0}", "must not contain control characters"),
        ("tab\there", "must not contain control characters"),
        ("shop\u{7F}", "must not contain control characters"),
        (" shop", "must not start or end with white space"),
        ("shop ", "must not start or end with white space"),
        ("\u{00A0}shop", "must not start or end with white space"),
        (" ", "must not start or end with white space"),
    ]

    @Test("unacceptable connection names are rejected naming the rule", arguments: invalid)
    func invalidConnectionName(_ name: String, _ problem: String) {
        #expect(NameRules.problem(with: name, limit: NameRules.connectionNameLimit) == problem)
    }

    @Test("project names are limited to 88 characters, leaving room for _deployments")
    func projectNameLimit() {
        #expect(NameRules.projectNameLimit == 88)
        #expect(NameRules.projectNameLimit + "_deployments".count == NameRules.connectionNameLimit)
        #expect(NameRules.problem(with: String(repeating: "p", count: 88), limit: NameRules.projectNameLimit) == nil)
        #expect(
            NameRules.problem(with: String(repeating: "p", count: 89), limit: NameRules.projectNameLimit)
                == "must be at most 88 characters")
    }

    @Test("length is counted in characters, not bytes")
    func lengthInCharacters() {
        #expect(NameRules.problem(with: String(repeating: "é", count: 100), limit: NameRules.connectionNameLimit) == nil)
    }
}

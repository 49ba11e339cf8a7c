import DoralakeCore
import Testing

/// Spec §12: DevLake-format ids and the repo hash.
struct DevLakeIDTests {
    static let hashes: [(repoUrl: String, hash: String)] = [
        ("https://github.com/acme/shop", "0e3e2eb86df7a42e"),
        ("git@github.com:acme/shop.git", "4848ea8033825c1e"),
        ("repo-2", "906e30ac5002caeb"),
        ("required-repo-url", "2c329b35c5aa5812"),
        ("", "d41d8cd98f00b204"),  // MD5 of the empty string
    ]

    @Test("the repo hash is the first 16 lowercase hex characters of MD5(repoUrl)", arguments: hashes)
    func repoHash(_ repoUrl: String, _ hash: String) {
        #expect(DevLakeID.repoHash(repoUrl) == hash)
    }

    @Test("the repo hash does not normalise the URL")
    func noNormalisation() {
        let variants = ["https://github.com/acme/shop", "https://github.com/acme/shop/", "https://github.com/acme/shop.git", "HTTPS://github.com/acme/shop"]
        #expect(Set(variants.map(DevLakeID.repoHash)).count == variants.count)
    }

    @Test("the hash is 16 lowercase hex characters, also for non-ASCII input", arguments: ["é", "https://git.example.com/🚀", "a\u{0}b"])
    func hashShape(_ repoUrl: String) {
        let hash = DevLakeID.repoHash(repoUrl)
        #expect(hash.count == 16)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test("deployment commit id: webhook:{c}:{deploymentId}:{h}:{commitSha}")
    func deploymentCommitId() {
        #expect(
            DevLakeID.deploymentCommit(connectionId: 3, deploymentId: "build-1", repoUrl: "https://github.com/acme/shop", commitSha: "abc")
                == "webhook:3:build-1:0e3e2eb86df7a42e:abc")
    }

    @Test("scope, issue, pull request and commit ids")
    func otherIds() {
        #expect(DevLakeID.scope(connectionId: 1) == "webhook:1")
        #expect(DevLakeID.issue(connectionId: 1, issueKey: "DLK-1234") == "webhook:1:DLK-1234")
        #expect(DevLakeID.pullRequest(connectionId: 1, pullRequestKey: 42) == "webhook:1:42")
        #expect(DevLakeID.commit(connectionId: 1, repoUrl: "https://github.com/acme/shop", sha: "a1") == "webhook:1:0e3e2eb86df7a42e:a1")
    }
}

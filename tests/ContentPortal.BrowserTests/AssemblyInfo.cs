// Each test class starts its own app and browser; running them one at a time keeps the machine calm
// and the minimal-hosting WebApplicationFactory interception unambiguous.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

"""Discovery ends: a sitemap index that lists itself, a cycle of two, an endless chain (127.0.0.1 server)."""

from portal_server import Portal, crawl_into, page_outcomes, write_profiles

SAFETY = 60  # a request budget, so that a crawler that loops fails these tests instead of hanging them


def test_self_listing_sitemap_is_fetched_once(tmp_path):
    with Portal() as portal:
        prof = write_profiles(tmp_path / "p", {"loop": portal.bare_profile_toml("loop", sitemaps=["/sm/self.xml"])})
        stats, n = crawl_into(tmp_path, prof, max_pages=SAFETY)
        assert portal.hits["/sm/self.xml"] == 1
        assert n == 1 and page_outcomes(tmp_path)["/b/30.html"][0] == "loaded"


def test_two_sitemaps_listing_each_other_are_fetched_once_each(tmp_path):
    with Portal() as portal:
        prof = write_profiles(tmp_path / "p", {"cycle": portal.bare_profile_toml(
            "cycle", sitemaps=["/sm/a.xml", "/sm/b.xml"], rss=["/feed.xml?u=/b/31.html"])})
        stats, n = crawl_into(tmp_path, prof, max_pages=SAFETY)
        assert portal.hits["/sm/a.xml"] == 1 and portal.hits["/sm/b.xml"] == 1
        assert portal.hits["/b/31.html"] == 1  # found by the feed and the sitemap: asked for once
        assert n == 2 and stats.articles == 2
        assert not stats.skipped  # a cycle is not an error: nothing was left out


def test_endless_chain_stops_at_max_discovery(tmp_path):
    with Portal() as portal:
        prof = write_profiles(tmp_path / "p", {"chain": portal.bare_profile_toml(
            "chain", sitemaps=["/sm/chain-0.xml"], max_discovery=5)})
        stats, n = crawl_into(tmp_path, prof, max_pages=SAFETY)
        asked = [p for _, p in portal.log if p.startswith("/sm/")]
        assert asked == [f"/sm/chain-{i}.xml" for i in range(5)]
        assert stats.skipped == {"discovery bound reached (max_discovery = 5)": 1}
        assert n == 3  # the articles found before the bound are crawled and loaded

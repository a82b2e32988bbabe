"""Politeness per host, measured by the server: two profiles on one 127.0.0.1 host share one queue."""

import time

from portal_server import Portal, crawl_into, write_profiles

from scrapers.fetch import PoliteFetcher, Politeness


def gaps(log: list[tuple[float, str]]) -> list[float]:
    times = sorted(t for t, _ in log)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_two_profiles_on_one_host_are_spaced_by_the_longer_delay_and_read_robots_once(tmp_path):
    with Portal() as portal:
        feed_one = "/feed.xml?" + "&".join(f"u=/b/{k}.html" for k in range(0, 4))
        feed_two = "/feed.xml?" + "&".join(f"u=/b/{k}.html" for k in range(4, 8))
        profiles = write_profiles(tmp_path / "p", {
            "one": portal.bare_profile_toml("one", rss=[feed_one], min_delay=0.2),
            "two": portal.bare_profile_toml("two", rss=[feed_two], min_delay=0.3),
        })
        stats, n = crawl_into(tmp_path, profiles)
        assert n == 8, stats.line()
        assert portal.hits["/robots.txt"] == 1  # once per host and crawl, whichever profile asked first
        measured = gaps(portal.log)
        assert len(measured) == len(portal.log) - 1 >= 10
        # the server's own clock: never under the host's delay (the longer of the two profiles' min_delay)
        assert min(measured) >= 0.3, sorted(measured)[:5]


def test_spacing_keeps_a_margin_above_min_delay():
    """Consecutive requests of one fetcher, as the server saw them, are never at or under min_delay."""
    with Portal() as portal:
        f = PoliteFetcher(("127.0.0.1",), min_delay=0.2, respect_robots=False, politeness=Politeness())
        for k in range(6):
            assert f.fetch(f"{portal.base}/b/{k}.html").ok
        measured = gaps(portal.log)
        assert len(measured) == 5 and min(measured) > 0.2, sorted(measured)[:3]


def test_fetchers_sharing_a_politeness_take_turns_across_threads():
    import threading

    with Portal() as portal:
        shared = Politeness()
        fetchers = [PoliteFetcher(("127.0.0.1",), min_delay=0.2, respect_robots=True, politeness=shared)
                    for _ in range(2)]
        t0 = time.monotonic()
        threads = [threading.Thread(target=lambda f=f, i=i: [f.fetch(f"{portal.base}/b/{i * 3 + k}.html")
                                                             for k in range(3)]) for i, f in enumerate(fetchers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert portal.hits["/robots.txt"] == 1
        assert len(portal.log) == 7 and min(gaps(portal.log)) > 0.2
        assert time.monotonic() - t0 >= 6 * 0.2

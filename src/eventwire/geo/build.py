"""``python -m eventwire.geo.build [PATH]``: build the gazetteer index explicitly."""

from __future__ import annotations

import sys
import time

from eventwire.geo.gazetteer import Gazetteer, build_gazetteer, default_path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else default_path()
    t0 = time.perf_counter()
    out = build_gazetteer(path)
    t1 = time.perf_counter()
    gaz = Gazetteer.read(out)
    t2 = time.perf_counter()
    print(f"built {out}: {len(gaz)} places, {gaz.key_count()} keys, {out.stat().st_size / 1e6:.1f} MB "
          f"in {t1 - t0:.1f} s; loads in {t2 - t1:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

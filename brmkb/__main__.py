"""Allow ``python -m brmkb``."""

from brmkb.cli import main

raise SystemExit(main())

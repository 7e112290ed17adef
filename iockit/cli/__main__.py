"""``python -m iockit.cli``: the same as the ``iockit`` command."""

from __future__ import annotations

from .parser import main

raise SystemExit(main())

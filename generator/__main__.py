"""`python -m generator …` is the same as `cocreate …`."""

from .cli import main

raise SystemExit(main())

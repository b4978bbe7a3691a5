"""``python -m bot`` runs the listkeeper command."""

import sys

from .cli import main

sys.exit(main())

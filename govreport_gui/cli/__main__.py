"""``python -m govreport_gui.cli``: the same command as the ``govreport`` launcher."""

import sys

from govreport_gui.cli import main

sys.exit(main())

import sys

from acumap.cli import main

sys.exit(main())

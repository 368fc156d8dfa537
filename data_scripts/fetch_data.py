"""Fetch MNIST, Fashion-MNIST or CIFAR-10 into $MINAE_DATA (or the user cache), checked.

    python data_scripts/fetch_data.py mnist
    python data_scripts/fetch_data.py fashion-mnist
    python data_scripts/fetch_data.py cifar10
    python data_scripts/fetch_data.py mnist --from /path/to/idx/files   # no internet needed

See ``python data_scripts/fetch_data.py --help``; the work is done by
``minae.datasets.fetch``, which an installed minae also runs as a module.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a clone as well

from minae.datasets.fetch import main

if __name__ == "__main__":
    sys.exit(main())

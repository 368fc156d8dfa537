"""Run a script with the stand-in device as minae's backend, as a CuPy user would run it.

    python tests/run_on_stand_in.py lessons/01_pca_toy.py --quick --out DIR
    python tests/run_on_stand_in.py reproductions/reproduce.py --quick

Arrays minae makes live on the stand-in (``strict_device.py``), which refuses every
implicit trip to the host, as CuPy does: a lesson that plots or prints a device array
without ``minae.to_host`` fails here as it would on a GPU.
"""

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from strict_device import strict

from minae.infrastructure import backend

backend._state["xp"] = strict  # what set_backend("cupy") does, with the stand-in
script = sys.argv[1]
sys.argv = [script, *sys.argv[2:]]
sys.path.insert(0, str(Path(script).resolve().parent))  # as `python script` does
runpy.run_path(script, run_name="__main__")

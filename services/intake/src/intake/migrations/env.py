from hotline_common.migrations import run_env
from intake.database import Base, import_models

import_models()
run_env(Base.metadata)

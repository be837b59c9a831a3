from coordination.database import Base, import_models
from hotline_common.migrations import run_env

import_models()
run_env(Base.metadata)

from hotline_common.migrations import run_env
from referrals.database import Base, import_models

import_models()
run_env(Base.metadata)

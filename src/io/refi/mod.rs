//! REFI-QDA exchange: `.qdpx` projects and `.qdc` codebooks (being written).

//! STUB: demo data and traffic.

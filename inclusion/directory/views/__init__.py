"""The Local Offer's pages: the public site (`public`) and the editors' pages (`editors`)."""

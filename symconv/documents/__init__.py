"""Documents: each computes everything first (derivations, identifications, numbers, figures) and hands plain
data to the printer (:mod:`symconv.latex`); the folder of documents, the combined book, and pdflatex."""

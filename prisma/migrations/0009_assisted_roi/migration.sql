-- issue 17 (seg): ROI versions made with the assisted (one-click) segmentation are recorded as such.
ALTER TYPE "RoiSource" ADD VALUE IF NOT EXISTS 'assisted';

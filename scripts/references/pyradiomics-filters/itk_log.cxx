// Reference LoG images as pyradiomics computes them (imageoperations.getLoGImage): ITK's
// LaplacianRecursiveGaussianImageFilter with NormalizeAcrossScale on, sigma in mm. Double pixels throughout.
// Usage: itk_log <image.nrrd> <sigma> <out.f64>   (raw little-endian float64, x fastest)
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkLaplacianRecursiveGaussianImageFilter.h"
#include <fstream>
#include <cstdlib>

int main(int argc, char * argv[])
{
  if (argc != 4) { std::cerr << "usage: itk_log image sigma out.f64\n"; return 2; }
  using ImageType = itk::Image<double, 3>;
  auto reader = itk::ImageFileReader<ImageType>::New();
  reader->SetFileName(argv[1]);
  auto log = itk::LaplacianRecursiveGaussianImageFilter<ImageType, ImageType>::New();
  log->SetInput(reader->GetOutput());
  log->SetNormalizeAcrossScale(true);
  log->SetSigma(std::atof(argv[2]));
  log->Update();
  ImageType::Pointer out = log->GetOutput();
  const auto n = out->GetLargestPossibleRegion().GetNumberOfPixels();
  std::ofstream f(argv[3], std::ios::binary);
  f.write(reinterpret_cast<const char *>(out->GetBufferPointer()), n * sizeof(double));
  return f.good() ? 0 : 1;
}
